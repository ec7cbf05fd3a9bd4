"""What every app shares and that imports no app: the API's permissions, paging, filters,
strict serializers and fields, error answers and schema, and the conflict protocol."""
