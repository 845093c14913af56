"""What a lesson folder publishes beside its pages, and why the rest stays in the source tree.

The loader sorts a lesson folder's files by these rules; the checks (`checks/structure.py`,
`checks/links.py`) and the Carpentries importer explain or follow the same rules, so they live
apart from the loader that reads the files.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

#: The files a lesson folder publishes beside its pages: images, widget and data files, and the
#: downloads a course hands out (slides, notebooks, scripts, archives, audio and video). Anything
#: else stays in the source tree, and `tracksite check` says so (`unpublished_reason`).
ASSET_SUFFIXES = {
    ".png",
    ".svg",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",  # images
    ".json",
    ".yml",
    ".yaml",
    ".csv",
    ".tsv",
    ".tab",  # tab-separated values under another name (plain text)
    ".txt",  # widget data and data sets
    ".pdf",
    ".ipynb",
    ".py",
    ".r",
    ".zip",  # downloads
    ".mp3",
    ".ogg",
    ".mp4",
    ".webm",  # audio and video
}


#: Every type the site publishes anywhere (docs/, a lesson's files, a remote file's copy, an
#: imported lesson's downloads): an ALLOW-list of files a browser shows, plays or hands over but
#: never opens as a document that runs script with the site's rights. HTML and SVG can, so they
#: are published only once they pass the plain-document rules (core/site/statics.py, core/site/svgsafe.py);
#: a file of any other type is refused, and a new type is added here with the reason it is inert.
SITE_SUFFIXES = ASSET_SUFFIXES | {
    ".html",
    ".htm",  # docs/ pages written in HTML: held to the plain-document rules
    ".css",
    ".js",
    ".mjs",
    ".map",  # a style sheet or script runs only if mkdocs.yml lists it; opened directly it is text
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",  # fonts
    ".ico",
    ".bmp",  # more images
    ".wav",
    ".m4a",
    ".flac",
    ".oga",
    ".ogv",
    ".mov",
    ".m4v",
    ".vtt",
    ".srt",  # more audio and video, and their subtitles
    ".bib",
    ".tex",
    ".rmd",
    ".qmd",
    ".sql",
    ".sh",
    ".jl",
    ".c",
    ".h",
    ".cpp",
    ".java",  # source files shown as text
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".tar",
    ".7z",  # archives
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".epub",  # office documents (zip archives a browser downloads)
    ".npy",
    ".npz",
    ".parquet",
    ".h5",
    ".onnx",
    ".safetensors",  # data and model files
    ".sqlite",
    ".sqlite3",
    ".db",  # SQLite databases (a lesson's data set: sql-ecology's portal_mammals.sqlite)
    ".xls",
    ".rds",
    ".rdata",
    ".rda",
    ".feather",
    ".arrow",
    ".nc",
    ".tif",
    ".tiff",
    ".geojson",
    ".gpkg",
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".fa",
    ".fasta",
    ".fastq",
    ".fq",
    ".vcf",
    ".sam",
    ".bam",
    ".gff",
    ".gtf",
    ".bed",
    ".mrc",
    ".mk",  # more data sets lessons ship: spreadsheets, R, GIS, genomics, MARC, Make (not pickles: code when loaded)
}
#: A compressed file's inner type counts too: a server may send `x.xml.gz` as XML with a gzip encoding.
COMPRESSION_SUFFIXES = {".gz", ".bz2", ".xz"}
#: The XML family: a browser opens any of these as a document, and XHTML, XSLT or SVG inside it
#: runs script on the site's origin. Named apart only for a clearer reason.
XML_SUFFIXES = {
    ".xml",
    ".xsd",
    ".rng",
    ".rnc",
    ".dtd",
    ".xsl",
    ".xslt",
    ".xhtml",
    ".xht",
    ".svgz",
    ".rdf",
    ".rss",
    ".atom",
    ".kml",
    ".gpx",
    ".mml",
    ".wsdl",
    ".xul",
    ".xbl",
    ".plist",
}
#: Documents that can hold script, published only once the plain-document rules pass.
CHECKED_DOCUMENTS = frozenset({".html", ".htm", ".svg"})
#: Files a static host needs, by name: GitHub Pages' custom domain.
SITE_NAMES = {"CNAME"}


def refusal(name: str, *, checked: frozenset[str] = CHECKED_DOCUMENTS) -> tuple[str, str] | None:
    """Why a file called `name` is not published anywhere on the site, and what to do instead;
    None when its type is on the allow-list. `checked`: the document types the caller holds to
    the plain-document rules before publishing (a remote file's copy: SVG only)."""
    if name in SITE_NAMES:
        return None
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes]
    if not suffixes:
        return (
            "files without an extension are not published: a browser or a host guesses their type, "
            "and may take one for a page",
            "give it the extension of its type (.txt, .json, ...) or leave it out",
        )
    last = suffixes[-1]
    inner = suffixes[-2] if last in COMPRESSION_SUFFIXES and len(suffixes) > 1 else None
    for suffix, compressed in ((last, False), (inner, True)):
        if suffix is None:
            continue
        if suffix in XML_SUFFIXES:
            return (
                f"{suffix} files are not published: a browser opens them as XML documents, which can run "
                "script with the site's rights",
                "show it as a code block in a page, or offer it zipped (.zip) as a download",
            )
        if suffix in CHECKED_DOCUMENTS and (compressed or suffix not in checked):
            return (
                f"{suffix} files are not published {'compressed' if compressed else 'from here'}: a browser "
                "would open one as a document that can run script, and its content cannot be checked first",
                "commit the file to the project uncompressed, or offer it zipped (.zip) as a download",
            )
        if suffix not in SITE_SUFFIXES and not compressed:
            return (
                f"{suffix} files are not published: the site publishes only types a browser cannot run as "
                "a page (images, audio and video, fonts, data, text and source files, archives, office documents)",
                "offer it zipped (.zip) as a download, or convert it to one of those types",
            )
    return None


#: What tools leave in a folder (Python's bytecode cache beside a lesson's script, Windows'
#: thumbnails), like an editor's backup copy (`name~`): nobody's download, so never warned about.
BY_TOOLS = {"__pycache__", "Thumbs.db", "desktop.ini"}


def unpublished_reason(folder: Path, path: Path) -> tuple[str, str]:
    """Why a file or folder inside a lesson folder is not part of the site, and what to do."""
    if path.parent != folder or path.is_dir():
        return (
            "only the files directly beside lesson.md are published, not those in its subfolders",
            "move the file beside lesson.md and link it by its name",
        )
    kind = f"{path.suffix} files" if path.suffix else "files without an extension"
    return (
        f"{kind} are not published from a lesson folder (published: {', '.join(sorted(ASSET_SUFFIXES))})",
        "save it as one of those types, or put it under docs/ and link to it there",
    )


#: Characters no published file name may hold: C0 controls and DEL (a terminal or an LMS's file
#: list would act on them) and the backslash, Windows' folder separator.
_UNSAFE_NAME_CHARACTERS = frozenset(chr(c) for c in (*range(32), 127)) | {"\\"}


def unsafe_name(rel: str) -> str | None:
    """Why a site path (`alpha/a1/figure.svg`, relative, with `/`) cannot be a file of the site
    or a member of an export's zip, or None. On Linux `a\\..\\..\\x.html` is one legal file
    name; a Windows unzip or an LMS reads it as a way out of the folder it extracts into."""
    if not rel or rel.startswith("/") or PurePosixPath(rel).is_absolute() or (rel[1:2] == ":" and rel[0].isalpha()):
        return "the name is an absolute path"
    bad = next((c for c in rel if c in _UNSAFE_NAME_CHARACTERS), None)
    if bad == "\\":
        return "the name holds `\\`, which Windows and zip readers take for a folder separator"
    if bad is not None:
        return f"the name holds the control character U+{ord(bad):04X}"
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return "the name holds an empty, `.` or `..` part"
    return None
