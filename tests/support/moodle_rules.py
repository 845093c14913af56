"""Moodle's SCORM player, emulated over scorm-again (issue 82): the rules by which Moodle turns what a
package sends into what it stores, reads back and reports, each as Moodle's source writes it
(mod/scorm, quoted at each rule), so that a test plays a package as a Moodle administrator runs it.

scorm-again is the data model (formats, ranges, errors); on top of it, in the LMS page:

- **LMSFinish** (datamodels/scorm_12.js, `StoreData(cmi, true)`):

      if (cmi.core.lesson_status == 'not attempted') { cmi.core.lesson_status = 'completed'; }
      if (cmi.core.lesson_mode == 'normal') { if (cmi.core.credit == 'credit') {
          if (masteryoverride && cmi.student_data.mastery_score !== '' && cmi.core.score.raw !== '') {
              if (parseFloat(cmi.core.score.raw) >= parseFloat(cmi.student_data.mastery_score)) {
                  cmi.core.lesson_status = 'passed'; } else { cmi.core.lesson_status = 'failed'; } } } }

  `masteryoverride` is the activity's "Mastery score overrides status" (default Yes); the
  mastery score comes from the manifest's `adlcp:masteryscore`.
- **Storing a value** (locallib.php, `scorm_insert_track`) with "Force completed" on:

      if (($element == 'cmi.core.lesson_status') && ($value == 'incomplete')) {
          $track = scorm_get_sco_value($scoid, $userid, 'cmi.core.score.raw', ...);
          if (!empty($track)) { $value = 'completed'; } }
      if ($element == 'cmi.core.score.raw') { ... if ($tracktest->value == "incomplete") {
          $v->value = "completed"; ... } }

  A value is stored at LMSCommit and LMSFinish (`StoreData` -> datamodel.php), an update keeps
  the track's row (its place among the learner's tracks).
- **A relaunch** reads the stored tracks back (`def[...]` of scorm_12.js.php): status, score,
  suspend_data, `entry` `resume` after `exit` `suspend`.

And, in Python, what Moodle then decides from the stored tracks:

- **"Require status"** (classes/completion/custom_completion.php, `completionstatusrequired`,
  with lib.php's `scorm_status_options`: 2 => passed, 4 => completed):

      foreach ($tracks as $track) {   // cmi.core.lesson_status, cmi.completion_status, cmi.success_status
          if (array_key_exists($track->value, $statuses)) { $statusbits |= $statuses[$track->value]; }
          if ($statusbits == $requiredcompletionstatusid) { $status = COMPLETION_COMPLETE; break; } }

- **"Force new attempt: When previous attempt completed, passed or failed"** (renderer.php,
  SCORM_FORCEATTEMPT_ONCOMPLETE, `$incomplete === false`), where an attempt is incomplete
  (locallib.php, scorm_get_toc) when its status is notattempted, incomplete or browsed.
- SCORM 2004: Moodle's Terminate (datamodels/scorm_13.js, `StoreData`) sets success_status only
  from `cmi.scaled_passed_score`, an element its data model never defines: the package's own
  cmi.success_status is what Moodle stores.
- **SCORM 2004 Terminate** (datamodels/scorm_13.js, `StoreData(cmi, true)`), emulated in
  MOODLE_2004_JS:

      if (cmi.mode == 'normal') { if (cmi.credit == 'credit') {
          if ((cmi.completion_threshold) && (cmi.progress_measure)) {
              if (cmi.progress_measure >= cmi.completion_threshold) { cmi.completion_status = 'completed';
              } else { cmi.completion_status = 'incomplete'; } }
          if ((cmi.scaled_passed_score != null) && (cmi.score.scaled != '')) { ... } } }

  Both values are strings (SetValue keeps `value+''`; the threshold comes from the SCO's data as
  text), so `>=` compares them as text: a progress of "1" is below a threshold of "1.0". The
  threshold is the manifest's `adlcp:completionThreshold` (scormlib.php: its minProgressMeasure,
  "1.0" when the element has none; `get_scorm_default` in scorm_13lib.php gives '' without one,
  which the truthiness test skips). An older scorm_13.js tested `!= null`, with 'null' written
  for a missing threshold (scorm_13.js.php's `scorm_empty(..., 'null', true)`): the same result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PASSED, COMPLETED = 2, 4  # lib.php, scorm_status_options
STATUS_ELEMENTS = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status")

MOODLE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moodle</title>
<link rel="icon" href="data:,"><script src="{runtime}"></script><script src="{harness}"></script></head>
<body><iframe id="sco" title="course" style="width:1200px;height:850px"></iframe></body></html>"""

MOODLE_12_JS = r"""
(() => {
  const M = window.MOODLE; /* the activity's settings and the learner's stored tracks (the test sets them) */
  const db = new Map(M.tracks); /* scorm_scoes_value of this attempt, in the order first stored */
  const status = db.get("cmi.core.lesson_status") || "";
  const api = new Scorm12API({ logLevel: 5, autocommit: false, mastery_override: false });
  const core = {
    lesson_status: status || "not attempted", /* scorm_12.js: '' -> 'not attempted' */
    entry: status === "" ? "ab-initio" : db.get("cmi.core.exit") === "suspend" ? "resume" : "",
    credit: "credit", lesson_mode: "normal",
  };
  if (db.has("cmi.core.score.raw")) core.score = { raw: db.get("cmi.core.score.raw") };
  api.loadFromJSON({ core, suspend_data: db.get("cmi.suspend_data") || "",
    student_data: { mastery_score: M.mastery } });
  window.calls = [];
  const written = {}; /* write-only elements (exit) as the SCO set them */
  const insert = (element, value) => { /* locallib.php scorm_insert_track */
    if (M.forcecompleted) {
      if (element === "cmi.core.lesson_status" && value === "incomplete" && db.has("cmi.core.score.raw")) value = "completed";
      if (element === "cmi.core.score.raw" && db.get("cmi.core.lesson_status") === "incomplete") db.set("cmi.core.lesson_status", "completed");
    }
    db.set(element, value);
  };
  const FIELDS = [
    ["cmi.core.lesson_location", () => api.cmi.core.lesson_location],
    ["cmi.core.lesson_status", () => api.cmi.core.lesson_status],
    ["cmi.core.score.raw", () => api.cmi.core.score.raw],
    ["cmi.core.exit", () => written["cmi.core.exit"] || ""],
    ["cmi.suspend_data", () => api.cmi.suspend_data],
  ];
  const store = () => { /* StoreData -> CollectData: what changed, in the data model's order */
    for (const [element, read] of FIELDS) {
      const value = String(read());
      if (value !== "" && value !== db.get(element)) insert(element, value);
    }
  };
  const wrap = (name, before) => {
    const real = api[name].bind(api);
    api[name] = (...args) => {
      if (before) before(...args);
      const ret = real(...args);
      window.calls.push({ name, args, ret });
      return ret;
    };
  };
  wrap("LMSSetValue", (k, v) => { if (k === "cmi.core.exit") written[k] = String(v); });
  wrap("LMSGetValue");
  wrap("LMSCommit", () => store());
  wrap("LMSFinish", () => { /* scorm_12.js StoreData(cmi, true) */
    const c = api.cmi.core;
    if (c.lesson_status === "not attempted") c.lesson_status = "completed";
    if (c.lesson_mode === "normal" && c.credit === "credit" && M.masteryoverride
        && api.cmi.student_data.mastery_score !== "" && c.score.raw !== "") {
      c.lesson_status = parseFloat(c.score.raw) >= parseFloat(api.cmi.student_data.mastery_score) ? "passed" : "failed";
    }
    store();
  });
  window.API = api;
  window.moodle = { tracks: () => [...db] };
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("sco").src = M.pkg + "/scorm-launch.html";
  });
})();
"""


def settings(pkg: str, tracks: list | None = None, *, mastery: str = "", **options: bool) -> str:
    """The init script that sets an activity's settings (Moodle's defaults unless given) and the
    learner's stored tracks before the emulated player starts."""
    config = {"pkg": pkg, "tracks": tracks or [], "mastery": mastery, "masteryoverride": True, "forcecompleted": False}
    config.update(options)
    return "window.MOODLE = " + json.dumps(config) + ";"


def stored(tracks: list, element: str) -> str:
    return dict(tracks).get(element, "")


def require_status(tracks: list, required: int) -> bool:
    """custom_completion.php's "Require status": the bits of the statuses met, in the tracks'
    order, equal to the bits required at some point."""
    bits = 0
    for element, value in tracks:
        if element in STATUS_ELEMENTS:
            bits |= {"passed": PASSED, "completed": COMPLETED}.get(value, 0)
        if bits == required:
            return True
    return False


def relaunched(tracks: list, force: int) -> list:
    """The tracks the next launch starts from: a new attempt (none) with "Force new attempt"
    Always (2), or When previous attempt completed, passed or failed (1) and the attempt is not
    incomplete (its status notattempted, incomplete or browsed); else the same attempt's."""
    status = stored(tracks, "cmi.core.lesson_status") or stored(tracks, "cmi.completion_status")
    incomplete = status in ("", "not attempted", "incomplete", "browsed")
    if force == 2 or (force == 1 and not incomplete):
        return []
    return tracks


MOODLE_2004_JS = r"""
(() => {
  const M = window.MOODLE; /* the activity's settings: the package, the manifest's threshold ('' if none) */
  const db = new Map(M.tracks); /* scorm_scoes_value of this attempt, in the order first stored */
  const api = new Scorm2004API({ logLevel: 5, autocommit: false });
  window.calls = [];
  const written = {}; /* the strings the SCO set, as Moodle's data model keeps them (value+'') */
  const FIELDS = [
    ["cmi.completion_status", () => api.cmi.completion_status],
    ["cmi.success_status", () => api.cmi.success_status],
    ["cmi.score.raw", () => api.cmi.score.raw],
    ["cmi.progress_measure", () => written["cmi.progress_measure"] || ""],
    ["cmi.location", () => api.cmi.location],
    ["cmi.suspend_data", () => api.cmi.suspend_data],
  ];
  const store = () => { /* StoreData -> CollectData: what changed */
    for (const [element, read] of FIELDS) {
      const value = String(read() ?? "");
      if (value !== "" && value !== db.get(element)) db.set(element, value);
    }
  };
  const wrap = (name, before) => {
    const real = api[name].bind(api);
    api[name] = (...args) => {
      if (before) before(...args);
      const ret = real(...args);
      window.calls.push({ name, args, ret });
      return ret;
    };
  };
  wrap("SetValue", (k, v) => { written[k] = v + ""; });
  wrap("GetValue");
  wrap("Commit", () => store());
  wrap("Terminate", () => { /* scorm_13.js StoreData(cmi, true) */
    const c = api.cmi, threshold = M.threshold, progress = written["cmi.progress_measure"] || "";
    if (c.mode === "normal" && c.credit === "credit" && threshold && progress) {
      c.completion_status = progress >= threshold ? "completed" : "incomplete"; /* text against text */
    }
    store();
  });
  window.API_1484_11 = api;
  window.moodle = { tracks: () => [...db] };
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("sco").src = M.pkg + "/scorm-launch.html";
  });
})();
"""


def manifest_threshold(package: Path) -> str:
    """The SCO's completion threshold as Moodle reads it from imsmanifest.xml (scormlib.php,
    `case 'ADLCP:COMPLETIONTHRESHOLD'`: the minProgressMeasure attribute, '1.0' when the element
    has none), '' without the element (scorm_13lib.php's `scorm_isset` default)."""
    text = (package / "imsmanifest.xml").read_text(encoding="utf-8")
    found = re.search(r"<(?:\w+:)?completionThreshold\b([^>]*)>", text, re.I)
    if not found:
        return ""
    measure = re.search(r'minProgressMeasure\s*=\s*"([^"]*)"', found[1], re.I)
    return measure[1] if measure else "1.0"
