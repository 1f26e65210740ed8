"""A small kustomize for deploy/kubernetes, for machines whose kubectl cannot render it.

Debian's kubernetes-client (1.20) embeds kustomize 2, which knows neither `components` nor
`patches`; this renders the subset deploy/kubernetes uses and refuses anything else, so that
a feature it does not know fails loudly instead of rendering wrong. Where a current `kubectl
kustomize` runs, the deploy test renders with both and requires the same objects.

Supported: resources (files and directories), components, namespace, images (newName,
newTag, digest), configMapGenerator and secretGenerator (files, literals, behavior create or
merge or replace, with disableNameSuffixHash), and strategic-merge patches by path, merging
lists of named items (containers, env, ports, volumes) by name as kustomize does.
"""

import base64
import copy
import os
import sys

import yaml

KNOWN_FIELDS = {
    "apiVersion", "kind", "namespace", "resources", "components", "images", "generatorOptions",
    "configMapGenerator", "secretGenerator", "patches",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass"}


class RenderError(Exception):
    pass


def render(directory):
    """The objects `kubectl kustomize DIRECTORY` prints, as a list of dicts."""
    objects = _build(os.path.abspath(directory), component=False)
    return objects


def _load_kustomization(directory):
    for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path) as handle:
                document = yaml.safe_load(handle) or {}
            unknown = set(document) - KNOWN_FIELDS
            if unknown:
                raise RenderError(f"{path}: fields this renderer does not know: {sorted(unknown)}")
            return path, document
    raise RenderError(f"{directory}: no kustomization.yaml")


def _build(directory, component, objects=None):
    path, kustomization = _load_kustomization(directory)
    expected = "Component" if component else "Kustomization"
    if kustomization.get("kind", "Kustomization") != expected:
        raise RenderError(f"{path}: kind must be {expected}")
    objects = [] if objects is None else objects
    for resource in kustomization.get("resources", []):
        target = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(target):
            objects.extend(_build(target, component=False))
        else:
            with open(target) as handle:
                objects.extend(document for document in yaml.safe_load_all(handle) if document)
    generators = kustomization.get("configMapGenerator") or kustomization.get("secretGenerator")
    if generators and kustomization.get("generatorOptions") != {"disableNameSuffixHash": True}:
        raise RenderError(f"{path}: generators must set generatorOptions.disableNameSuffixHash: true (hash suffixes are not rendered)")
    for kind, entries in (("ConfigMap", kustomization.get("configMapGenerator", [])), ("Secret", kustomization.get("secretGenerator", []))):
        for entry in entries:
            _generate(directory, kind, entry, objects)
    for component_path in kustomization.get("components", []):
        objects = _build(os.path.normpath(os.path.join(directory, component_path)), component=True, objects=objects)
    for patch in kustomization.get("patches", []):
        if set(patch) != {"path"}:
            raise RenderError(f"{path}: only patches with a path are supported, got {sorted(patch)}")
        with open(os.path.join(directory, patch["path"])) as handle:
            for document in yaml.safe_load_all(handle):
                _apply_patch(document, objects, path)
    if "namespace" in kustomization:
        for item in objects:
            if item["kind"] not in CLUSTER_SCOPED:
                item.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
            elif item["kind"] == "Namespace":
                item["metadata"]["name"] = kustomization["namespace"]
    for image in kustomization.get("images", []):
        _set_image(image, objects)
    return objects


def _generate(directory, kind, entry, objects):
    data = {}
    for spec in entry.get("files", []):
        key, _, file_path = spec.rpartition("=") if "=" in spec else (os.path.basename(spec), "", spec)
        with open(os.path.join(directory, file_path), "rb") as handle:
            data[key] = handle.read()
    for literal in entry.get("literals", []):
        key, _, value = literal.partition("=")
        data[key] = value.encode()
    unknown = set(entry) - {"name", "files", "literals", "behavior"}
    if unknown:
        raise RenderError(f"{directory}: generator fields this renderer does not know: {sorted(unknown)}")
    encoded = {key: base64.b64encode(value).decode() if kind == "Secret" else value.decode() for key, value in data.items()}
    behavior = entry.get("behavior", "create")
    existing = [item for item in objects if item["kind"] == kind and item["metadata"]["name"] == entry["name"]]
    if behavior == "create":
        if existing:
            raise RenderError(f"{directory}: {kind} {entry['name']} exists; use behavior merge or replace")
        generated = {"apiVersion": "v1", "kind": kind, "metadata": {"name": entry["name"]}, "data": encoded}
        if kind == "Secret":
            generated["type"] = "Opaque"
        objects.append(generated)
    elif behavior in ("merge", "replace"):
        if len(existing) != 1:
            raise RenderError(f"{directory}: {behavior} of {kind} {entry['name']}, which the base does not generate")
        if behavior == "replace":
            existing[0]["data"] = {}
        existing[0].setdefault("data", {}).update(encoded)
    else:
        raise RenderError(f"{directory}: unknown generator behavior {behavior}")


def _apply_patch(patch, objects, origin):
    matches = [item for item in objects if item["kind"] == patch["kind"] and item["metadata"]["name"] == patch["metadata"]["name"]]
    if len(matches) != 1:
        raise RenderError(f"{origin}: the patch of {patch['kind']} {patch['metadata']['name']} matches {len(matches)} objects")
    _merge(matches[0], copy.deepcopy(patch))


def _merge(target, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif isinstance(value, list) and isinstance(target.get(key), list) and _named(value) and _named(target[key]):
            # As kustomize's strategic merge does: the patch's items first, in its order, then
            # the items it does not name.
            by_name = {item["name"]: item for item in target[key]}
            merged = []
            for item in value:
                if item["name"] in by_name:
                    _merge(by_name[item["name"]], item)
                    merged.append(by_name[item["name"]])
                else:
                    merged.append(item)
            named = {item["name"] for item in value}
            target[key] = merged + [item for item in target[key] if item["name"] not in named]
        else:
            target[key] = value


def _named(items):
    return all(isinstance(item, dict) and "name" in item for item in items)


def _set_image(image, objects):
    for item in objects:
        spec = item.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            name, _, _ = container["image"].partition(":")
            if "@" in name:
                name = name.split("@")[0]
            if name != image["name"]:
                continue
            new_name = image.get("newName", name)
            if "digest" in image:
                container["image"] = f"{new_name}@{image['digest']}"
            else:
                tag = image.get("newTag", container["image"].partition(":")[2])
                container["image"] = f"{new_name}:{tag}" if tag else new_name


def identity(item):
    """What names an object in a rendering: kind, namespace and name."""
    metadata = item.get("metadata", {})
    return (item["kind"], metadata.get("namespace", ""), metadata["name"])


if __name__ == "__main__":
    try:
        print(yaml.safe_dump_all(render(sys.argv[1]), sort_keys=False), end="")
    except RenderError as error:
        sys.exit(f"kustomize_render: {error}")
