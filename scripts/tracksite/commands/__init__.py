"""The instructor and CI commands behind `tracksite`: check, build, new, move, rename, linkcheck, pdf."""
