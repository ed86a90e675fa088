// In-page checks for tests/browser/a11y, evaluated through the DevTools protocol (so the
// page's Content-Security-Policy does not stop them). Each returns problems as readable lines.
window.gpvA11y = {
  axe: async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160)})),
  }));
},
  // Horizontal scrolling of the page, and boxes that cut their own text off (1.4.10, 1.4.12).
  // A wide table may scroll inside its own box if the keyboard can reach that box and it has a
  // name, so that a keyboard user can scroll it and a screen reader user knows what it is.
  layout: () => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    const culprits = [...document.body.querySelectorAll("*")].filter(el => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== "fixed";
    }).filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= doc.clientWidth + 1);
    problems.push(`page scrolls sideways: ${doc.scrollWidth}px of content in ${doc.clientWidth}px, widened by ` +
      culprits.slice(0, 3).map(el => el.outerHTML.slice(0, 120)).join(" | "));
  }
  const hidden = el => el.closest(".nhsuk-u-visually-hidden, [hidden], [aria-hidden=true]");
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || hidden(el)) continue;
    const scrollsX = ["auto", "scroll"].includes(style.overflowX);
    const clipsX = ["hidden", "clip"].includes(style.overflowX);
    const clipsY = ["hidden", "clip"].includes(style.overflowY);
    if (scrollsX && el.scrollWidth > el.clientWidth + 1) {
      const named = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
      if (el.tabIndex < 0 || !named)
        problems.push(`a box scrolls sideways but cannot be reached by keyboard or has no name: ${el.outerHTML.slice(0, 120)}`);
    }
    if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
      if (el.innerText && el.innerText.trim() && el.clientWidth > 1)
        problems.push(`text is cut off: ${el.outerHTML.slice(0, 120)}`);
    }
  }
  return problems;
},
  // Target size (2.5.8): at least 24 by 24 CSS px, or far enough from other targets that a 24 px
  // circle on its centre touches no other target. Links inside a sentence are exempt.
  targets: () => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1']):not([role=region])";  // a scroll box takes focus, not clicks
  const seen = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
    return s.visibility !== "hidden" && s.display !== "none" && r.width > 1 && r.height > 1; };  // 1 px: visually hidden
  // A radio or checkbox is drawn by its label; the whole label is the target.
  const box = el => {
    if (el.matches("input[type=radio], input[type=checkbox]") && el.labels && el.labels[0]) {
      const a = el.getBoundingClientRect(), b = el.labels[0].getBoundingClientRect();
      return new DOMRect(Math.min(a.left, b.left), Math.min(a.top, b.top),
        Math.max(a.right, b.right) - Math.min(a.left, b.left), Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top));
    }
    return el.getBoundingClientRect();
  };
  const inSentence = el => {
    if (getComputedStyle(el).display !== "inline") return false;
    const block = el.parentElement.closest("p, li, td, dd, div, span, label, legend");
    return block && block.innerText.trim().length > el.innerText.trim().length;
  };
  const targets = [...document.querySelectorAll(selector)].filter(el => seen(el) && !el.closest(".nhsuk-u-visually-hidden"))
    .map(el => ({el, r: box(el)}));
  const problems = [];
  for (const t of targets) {
    if ((t.r.width >= 24 && t.r.height >= 24) || inSentence(t.el)) continue;
    const cx = t.r.left + t.r.width / 2, cy = t.r.top + t.r.height / 2;
    const clash = targets.find(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && (() => {
      const dx = Math.max(o.r.left - cx, 0, cx - o.r.right), dy = Math.max(o.r.top - cy, 0, cy - o.r.bottom);
      return dx * dx + dy * dy < 144;
    })());
    if (clash)
      problems.push(`target ${Math.round(t.r.width)}x${Math.round(t.r.height)} px is too small and too close to another: ` +
        `${t.el.outerHTML.slice(0, 100)} near ${clash.el.outerHTML.slice(0, 80)}`);
  }
  return problems;
},
  // Each error summary link leads to a field that exists (following it puts the cursor where the
  // fix is), and each error message is tied to its field by aria-describedby.
  errorSummary: () => {
  const problems = [];
  const summary = document.querySelector(".nhsuk-error-summary");
  if (!summary) return ["no error summary"];
  const links = [...summary.querySelectorAll("a")];
  if (!links.length) problems.push("the error summary lists no errors");
  for (const a of links) {
    const id = decodeURIComponent((a.getAttribute("href") || "").replace(/^#/, ""));
    const target = id && document.getElementById(id);
    if (!target || !target.matches("input, select, textarea"))
      problems.push(`error summary link "${a.innerText}" leads to #${id}, which is not a field on the page`);
    if (a.innerText.trim().length < 10) problems.push(`error message "${a.innerText}" does not say how to fix it`);
  }
  for (const message of document.querySelectorAll(".nhsuk-error-message")) {
    if (!message.id || !document.querySelector(`[aria-describedby~="${message.id}"]`))
      problems.push(`error message "${message.innerText}" is not tied to a field (aria-describedby)`);
  }
  return problems;
},
  // Inputs whose purpose a browser can fill in say so (1.3.5), and no form asks for the same thing
  // twice (3.3.7); a new password typed twice is the exception WCAG allows, for security.
  inputPurpose: () => {
  const problems = [];
  // A person's own name, not the name of a thing (a category, a round): judged by the label.
  const personName = el => el.labels && [...el.labels].some(l => /\b(your|full) name\b/i.test(l.innerText));
  const expected = el => el.type === "email" ? "email" : el.name === "code" ? "one-time-code"
    : personName(el) ? "name" : el.type === "password" ? "password" : null;
  for (const el of document.querySelectorAll("input")) {
    const want = expected(el), have = (el.getAttribute("autocomplete") || "").split(/\s+/);
    if (want === "password" ? !have.some(t => /password$/.test(t)) : want && !have.includes(want))
      problems.push(`input ${el.name} should have autocomplete="${want === "password" ? "current-password or new-password" : want}", has "${have.join(" ")}"`);
  }
  for (const form of document.forms) {
    const emails = [...form.querySelectorAll("input[type=email]")];
    if (emails.length > 1) problems.push(`a form asks for an email address ${emails.length} times`);
    for (const el of form.querySelectorAll("input")) {
      if (/(confirm|again|repeat)|^(email|name)2$/i.test(el.name) && el.type !== "password")
        problems.push(`input ${el.name} asks again for something already given`);
    }
  }
  return problems;
},
  // Numbers every element a keyboard user should reach, in document order: visible, enabled, not
  // taken out of the tab order, one stop per radio group (the checked radio, else the first).
  numberTabbable: () => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
  const groups = new Set();
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    delete el.dataset.kb;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (el.disabled || el.tabIndex < 0 || s.visibility === "hidden" || s.display === "none") continue;
    if (!(r.width || r.height) && !el.matches(".nhsuk-skip-link")) continue;
    if (el.matches("input[type=radio]")) {
      if (groups.has(el.name)) continue;
      const checked = el.form ? [...el.form.elements].find(o => o.name === el.name && o.checked) : null;
      groups.add(el.name);
      (checked || el).dataset.kb = n++;
      continue;
    }
    el.dataset.kb = n++;
  }
  return n;
},
  // Where the focus is, whether it can be seen (2.4.7) and whether anything covers it (2.4.11).
  focus: () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement || el.id === "kb-start") return null;
  // Visible means the focus changes how the element (or, for NHS.UK radios and checkboxes, the
  // label's ::before that draws them) looks: its outline, shadow, background, colour or border.
  const look = () => [getComputedStyle(el), el.labels && el.labels[0] ? getComputedStyle(el.labels[0], "::before") : null]
    .filter(Boolean).map(st => [st.outlineStyle, st.outlineColor, st.outlineWidth, st.boxShadow, st.backgroundColor,
      st.color, st.borderColor, st.textDecorationLine].join("|")).join("/");
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus({preventScroll: true});
  const visible = focused !== unfocused;
  const r = el.getBoundingClientRect();
  const inView = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const owns = top => top && (el.contains(top) || top.contains(el) ||
    (el.labels && [...el.labels].some(l => l.contains(top))));
  const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 1, r.top + 1], [r.right - 1, r.bottom - 1]];
  const uncovered = points.some(([x, y]) => owns(document.elementFromPoint(x, y)));
  return {kb: el.dataset.kb === undefined ? null : Number(el.dataset.kb), visible, shown: inView && uncovered,
    name: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.innerText || el.value || el.name || "").trim().slice(0, 40)};
},
  // Chromium tabs on from where the focus last was, even after blur(); a focusable but untabbable
  // marker at the top of the body puts the starting point back where a fresh page has it.
  fromTheTop: () => {
  let start = document.getElementById("kb-start");
  if (!start) { start = document.createElement("span"); start.id = "kb-start"; start.tabIndex = -1; document.body.prepend(start); }
  start.focus(); window.scrollTo(0, 0);
},
  // POST forms in the main content with fields to fill: [index, names of the fields].
  formSignatures: () => [...document.querySelectorAll("main form")].map((form, i) => {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return null;
    const fields = [...form.elements].filter(el =>
      el.matches("input:not([type=hidden]):not([type=submit]), select, textarea"));
    if (!fields.length || !form.querySelector("button, input[type=submit]")) return null;
    return [i, fields.map(el => el.name.replace(/\d+/g, "#")).join(",")];
  }).filter(Boolean),
  // Empties form i (radios and checkboxes unticked, selects blank where they can be) and sends it.
  emptyForm: (i) => {
  const form = document.querySelectorAll("main form")[i];
  for (const el of form.elements) {
    if (el.matches("input[type=radio], input[type=checkbox]")) el.checked = false;
    else if (el.matches("select")) { if ([...el.options].some(o => o.value === "")) el.value = ""; }
    else if (el.matches("input:not([type=hidden]):not([type=submit]), textarea")) el.value = "";
  }
  form.querySelector("button, input[type=submit]").click();
},
};
