"""Located problems: the one type every check and command reports, and its catalogue of codes.

Owns `Problem` and its formats (`problem`), the catalogue of codes (`codes`), a read's findings
before they have a file (`findings`) and the ordering that puts a root cause before its echoes
(`rootcause`). The bottom of core: imports nothing of tracksite but `tracksite.errors`.
"""
