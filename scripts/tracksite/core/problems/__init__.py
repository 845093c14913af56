"""Located problems: the one type every check and command reports, and its catalogue of codes.

Owns `Problem` and its formats (`problem`), the catalogue of codes (`codes`) and a read's
findings before they have a file (`findings`). Near the bottom of core (tests/architecture/test_floors.py):
imports `tracksite.errors` and nothing of core. Putting a root cause before its echoes reads the
whole check's result, so it is `checks/rootcause.py`.
"""
