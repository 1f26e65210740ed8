"""The OpenAPI document generates a good client. Run by scripts/openapi-client.

A gateway on its built-in sandbox serves /openapi.json; openapi-python-client generates a
Python client from it with --fail-on-warning (no warning about the document); the generated
models must be one class per GraphQL type (OrganizationInvitation, RiskGroup, …), a named page
per list (RiskGroupPage) and ProblemError, with no class named after a response position; then
the onboarding flow and an Elements listing run through the generated client, passing the
invitation that one call returns to the next as the same class."""
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from checks import expect, failures, free_port

BINARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="restgate-client-")
GENERATOR = os.path.join(os.path.dirname(sys.executable), "openapi-python-client")
LOW_RISK = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a01"


def start_gateway():
    port = free_port()
    log = open(os.path.join(WORK, "gateway.log"), "w")
    process = subprocess.Popen([BINARY, "--host", "127.0.0.1", "--port", str(port), "--threads", "1"], stdout=subprocess.DEVNULL,
                               stderr=log)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
                if answer.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the gateway did not become ready")


def generate(port):
    document = os.path.join(WORK, "openapi.json")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=10) as answer, open(document, "wb") as file:
        file.write(answer.read())
    config = os.path.join(WORK, "config.yaml")
    with open(config, "w") as file:
        file.write("project_name_override: restgate-client\npackage_name_override: restgate_client\npost_hooks: []\n")
    output = os.path.join(WORK, "restgate_client")
    result = subprocess.run([GENERATOR, "generate", "--path", document, "--meta", "none", "--config", config, "--output-path", output,
                             "--fail-on-warning"], capture_output=True, text=True, timeout=300)
    expect(result.returncode == 0 and "Warning" not in result.stdout + result.stderr,
           f"openapi-python-client: exit {result.returncode}: {(result.stdout + result.stderr).strip()[-1500:]}")
    return output


def main():
    gateway, port = start_gateway()
    try:
        output = generate(port)
        models = sorted(name[:-3] for name in os.listdir(os.path.join(output, "models")) if name.endswith(".py") and name != "__init__.py")
        for wanted in ["organization_invitation", "risk_group", "risk_group_page", "branch_office", "bank_account", "organization",
                       "client_invitation", "client_invitation_page", "firm_client", "problem", "problem_error"]:
            expect(wanted in models, f"a model named {wanted}; the models are {models}")
        positional = [name for name in models if "_response_" in name or name.endswith("_body") and name.startswith(("update_invitation", "set_invitation"))]
        expect(not positional, f"no model named after a response position: {positional}")
        sys.path.insert(0, WORK)
        client_package = importlib.import_module("restgate_client")
        drive(client_package, port)
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)


def drive(package, port):
    from restgate_client import AuthenticatedClient, Client
    from restgate_client.api.unioo import (create_invitation, create_token, get_invitation, list_risk_groups, send_invitation,
                                           update_invitation, list_branch_offices, set_invitation_branch_office)
    from restgate_client.api.elements import create_elements_token, list_client_invitations
    from restgate_client import models

    base = f"http://127.0.0.1:{port}"
    token = create_token.sync(client=Client(base_url=base), body=models.AuthenticateInput(client_id="sandbox-bank", secret="sandbox-secret"))
    expect(hasattr(token, "jwt"), f"create_token answers the payload: {token!r}")
    bank = AuthenticatedClient(base_url=base, token=token.jwt)
    page = list_risk_groups.sync(client=bank, limit=2)
    expect(isinstance(page, models.RiskGroupPage) and all(isinstance(item, models.RiskGroup) for item in page.items),
           f"list_risk_groups answers a RiskGroupPage of RiskGroup: {page!r}")
    created = create_invitation.sync(client=bank, body=models.CreateOrganizationInvitationInput(
        organization_name="Acme ApS", risk_group_id=LOW_RISK, vat_number="DK12345678"))
    expect(isinstance(created, models.OrganizationInvitation), f"create_invitation answers an OrganizationInvitation: {created!r}")
    again = get_invitation.sync(id=created.id, client=bank)
    expect(type(again) is type(created) and again.id == created.id, f"get_invitation answers the same class: {again!r}")
    offices = list_branch_offices.sync(client=bank)
    office = offices.items[0]
    expect(isinstance(office, models.BranchOffice), f"list_branch_offices answers BranchOffice items: {office!r}")
    update_body_class = models.UpdateOrganizationInvitationInformationBody
    contact = models.ContactPersonInput(first_name="Mette", last_name="Hansen", email="mette@acme.example", calling_code="DK")
    updated = update_invitation.sync(id=created.id, client=bank, body=update_body_class(contact_person=contact))
    expect(type(updated) is type(created), f"update_invitation answers the same class: {updated!r}")
    placed = set_invitation_branch_office.sync(
        id=created.id, client=bank, body=models.UpdateOrganizationInvitationBranchOfficeBody(branch_office_id=office.id))
    expect(type(placed) is type(created), f"set_invitation_branch_office answers the same class: {placed!r}")
    sent = send_invitation.sync(id=created.id, client=bank)
    expect(type(getattr(sent, "organization_invitation", None)) is type(created),
           f"send_invitation carries the same OrganizationInvitation class: {sent!r}")

    elements = create_elements_token.sync(client=Client(base_url=base), body=models.SignInInput(
        username_or_email="advisor@sandbox.example", password="sandbox-password"))
    firm = elements.firms.items[0].id
    advisor = AuthenticatedClient(base_url=base, token=elements.token_set.access_token)
    listing = list_client_invitations.sync(firm_id=firm, client=advisor)
    expect(isinstance(listing, models.ClientInvitationPage) and all(isinstance(item, models.ClientInvitation) for item in listing.items),
           f"list_client_invitations answers a ClientInvitationPage: {listing!r}")


try:
    main()
except Exception as error:  # one failure, reported with the rest
    import traceback
    traceback.print_exc()
    expect(False, f"the client run raised {error!r}")
if failures:
    print(f"openapi client: {len(failures)} failed (work in {WORK})", flush=True)
    sys.exit(1)
shutil.rmtree(WORK, ignore_errors=True)
print("openapi client: all passed", flush=True)
