"""Located problems: the one type every check and command reports, and its catalogue of codes.

Owns `Problem` and its formats (`problem`), the catalogue of codes (`codes`), a read's findings
before they have a file (`findings`) and the ordering that puts a root cause before its echoes
(`rootcause`). Near the bottom of core: imports `tracksite.errors`, and `rootcause` reads YAML errors'
explanations (`yaml.explain`).
"""
