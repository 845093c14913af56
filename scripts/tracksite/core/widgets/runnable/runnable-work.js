/* tracksite /// runnable: the learner's work on an exercise, theirs to keep (issue 85). Their code
   downloads as a .py file and loads again from one (a teacher collects work without a server),
   and the last checks are kept in this browser, each with its code and verdict, restorable.
   Loaded before runnable.js, which calls window.tracksite.runnableWork for each exercise, and
   runnableSolution, which shows its solution by the author's policy. */
(() => {
  "use strict";
  const { h, button, t, load, save } = window.tracksite;
  const KEEP = 10; /* checks kept per exercise */
  const LARGEST = 64 * 1024; /* bytes of a file loaded as code */
  const fileName = (title) => (title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "exercise") + ".py";

  /* {name: the exercise's storage name, title, get(): the code, put(text): into the editor,
     tell(text): the status, named(what): an accessible name}: {box, checked(code, right)} */
  window.tracksite.runnableWork = ({ name, title, get, put, tell, named }) => {
    const key = name ? "tracksite:history:" + name : null;
    const kept = () => { const v = key ? load(key, {}).checks : []; return Array.isArray(v) ? v : []; };
    const labelled = (b, what) => { b.setAttribute("aria-label", named(what)); return b; };
    const down = labelled(button(t("rnDownload"), () => {
      const url = URL.createObjectURL(new Blob([get()], { type: "text/x-python" }));
      const a = h("a", { href: url, download: fileName(title), hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }, "ts-run__download"), t("rnDownload"));
    const file = h("input", { type: "file", accept: ".py,.txt,text/plain,text/x-python", hidden: true });
    const up = labelled(button(t("rnLoadFile"), () => file.click(), "ts-run__load"), t("rnLoadFile"));
    file.addEventListener("change", () => {
      const chosen = file.files && file.files[0];
      file.value = "";
      if (!chosen) return;
      if (chosen.size > LARGEST) { tell(t("rnFileTooBig", { n: LARGEST / 1024 })); return; }
      chosen.text().then((text) => { put(text); tell(t("rnFileLoaded", { name: chosen.name })); });
    });
    const list = h("ol", { class: "ts-run__history" });
    const summary = h("summary");
    const draw = () => {
      const checks = kept();
      summary.textContent = t("rnYourWork", { n: checks.length });
      list.replaceChildren(...checks.map((c) => {
        const when = new Date(c.at).toLocaleString(document.documentElement.lang || undefined);
        const back = labelled(button(t("rnRestore"), () => { put(String(c.code)); tell(t("rnRestored", { when })); }, "ts-run__restore"), t("rnRestore") + " " + when);
        return h("li", null, when + ": " + (c.right ? t("rnWasRight") : t("rnWasWrong")) + " ", back);
      }));
    };
    draw();
    const box = h("details", { class: "ts-run__work" }, summary, h("div", { class: "ts-run__actions" }, down, up, file), list);
    const checked = (code, right) => {
      if (!key) return;
      save(key, { checks: [{ at: Date.now(), right, code }, ...kept()].slice(0, KEEP) });
      draw();
    };
    return { box, checked };
  };

  /* ---- the solution (runnable.js calls this for each exercise, with the fingerprint of its
     code's key), by the author's policy (data-solution: "pass", or a number of Checks); the
     Checks and an opened solution (it stays open) travel with the learner's progress (SCORM's "n"
     too, scorm-state.js), and a pass anywhere (lesson, pack, a progress file, the LMS) opens it ---- */
  window.tracksite.runnableSolution = (root, fingerprint) => {
    const answer = root.querySelector(".ts-run__solution");
    const policy = root.dataset.solution;
    if (!answer || !policy) return () => {};
    const name = fingerprint ? "tracksite:checks:" + fingerprint : null;
    const need = policy === "pass" ? 0 : Number(policy);
    const note = answer.parentNode.insertBefore(h("p", { class: "ts-run__solnote" }), answer);
    const count = () => (name ? Number(load(name, {}).n) || 0 : 0), seen = () => Boolean(name && load(name, {}).seen === true);
    const update = () => {
      const open = root.classList.contains("is-passed") || (need > 0 && count() >= need) || seen();
      answer.hidden = !open;
      note.hidden = open;
      note.textContent = need > 0 ? t("rnSolutionAfter", { n: need, done: count() }) : t("rnSolutionOnPass");
    };
    update();
    answer.addEventListener("toggle", () => { if (name && answer.open && !seen()) save(name, { n: count(), seen: true }); });
    return () => { if (name) save(name, { n: count() + 1, ...(seen() ? { seen: true } : {}) }); update(); };
  };
})();
