ROLE_PERMISSIONS = {
    "supervisor": ["documents.view_officialdocument", "documents.add_officialdocument",
                   "documents.view_documenttype"],
    "handler": ["documents.view_officialdocument"],
    "leader": ["documents.view_officialdocument"],
}
