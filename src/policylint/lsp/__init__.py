"""The language server of ``policylint lsp``: diagnostics as the user types, hover, completion,
go to definition and code actions for governance files, over stdio (built on pygls).

``server.py`` is the protocol glue, ``buffers.py`` the open files, ``features.py`` what hover,
completion and definition answer; the model and its updates are :mod:`policylint.incremental`.
"""
