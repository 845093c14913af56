"""Issue 84, the corpus run with --execute: an R error printed by a chunk with echo=FALSE was laid
at the chunk above it (r-novice-gapminder's 07-control-flow.Rmd:148, a chunk with eval=FALSE that
cannot fail, for the error of 160). The chunk decides whether the error stops the import
(error=TRUE allows it), so the wrong chunk let an error through, or stopped a taught one."""

from __future__ import annotations

from tracksite.commands.importers.carpentries import rerrors
from tracksite.commands.importers.carpentries.knitr import chunks, line_map

SOURCE = """Some prose before the first chunk.

```{r shown, error=TRUE}
x <- c(1, 2)
```

Did anyone get an error like this?

```{r, echo=FALSE}
if (x == 1) {}
```

The condition has length two.
"""

KNITTED = """Some prose before the first chunk.

```r
x <- c(1, 2)
```

Did anyone get an error like this?

```error
Error in if (x == 1) {: the condition has length > 1
```

The condition has length two.
"""


def _unallowed(source: str, knitted: str) -> list[str]:
    spans = chunks(source.splitlines())
    return rerrors.unallowed(source, spans, knitted, "07-flow.Rmd", line_map(source, knitted))


def test_an_error_of_a_chunk_without_echo_is_its_own_not_the_chunks_above():
    """Old: [] (laid at `shown`, which allows errors)."""
    assert _unallowed(SOURCE, KNITTED) == [
        "episodes/07-flow.Rmd:9: R's error in chunk: Error in if (x == 1) {: the condition has length > 1"
    ]


ECHOED = """Some prose before the first chunk.

```{r shown}
x <- c(1, 2)
x + y
```

```{r, echo=FALSE, error=TRUE}
if (x == 1) {}
```

The condition has length two.
"""

ECHOED_KNITTED = """Some prose before the first chunk.

```r
x <- c(1, 2)
x + y
```

```error
Error: object 'y' not found
```

```error
Error in if (x == 1) {: the condition has length > 1
```

The condition has length two.
"""


def test_an_error_of_a_chunk_that_shows_its_code_is_that_chunks():
    """The error after echoed code is that chunk's, even with a chunk without echo next to it."""
    assert _unallowed(SOURCE.replace("{r, echo=FALSE}", "{r, echo=FALSE, error=TRUE}"), KNITTED) == []
    assert _unallowed(ECHOED, ECHOED_KNITTED) == [
        "episodes/07-flow.Rmd:3: R's error in chunk shown: Error: object 'y' not found"
    ]
