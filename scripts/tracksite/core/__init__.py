"""The engine-free core: load, validate, resolve and order a course with plain dataclasses.

Nothing in this package imports MkDocs. It may import Python-Markdown (the Markdown dialect that
MkDocs, ProperDocs and Zensical all render with) to compute heading ids exactly as the build does.
"""
