enum PlaceholderRestgateTestSupport {}
