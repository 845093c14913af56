"""What the tests share, apart from fixtures: helpers a test module imports as `from support import
harness` or `from support.course import make_course` (tests/ is pytest's path). Fixtures stay in the
conftest.py files, where pytest finds them without an import; no test module imports another test
module or a conftest.py (tests/architecture/test_tests_layout.py checks it)."""
