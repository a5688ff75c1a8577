/* Cable search, the page side: the header's box (a combobox with a dropdown of hits) and the
 * search page's (search.html?q=...&from=...: query and filters live in the URL). The engine
 * (search-engine.js, with stemmer.js) is loaded on first use, so pages where nobody searches
 * load nothing more. Cable text is only ever inserted as text nodes; the only markup built
 * here is <mark> around matched words. */
(function () {
  "use strict";

  var roots = Array.prototype.slice.call(document.querySelectorAll("[data-cs-search]"));
  var header = document.querySelector("[data-cs-search][data-cs-index]");
  if (!roots.length || !header) return;
  var indexUrl = new URL(header.getAttribute("data-cs-index"), document.baseURI);
  var siteUrl = new URL("../", indexUrl);
  var scriptUrl = (document.currentScript && document.currentScript.src) || new URL("assets/javascripts/search.js", siteUrl).href;
  var PAGE = 10;
  /* Hit files read per page when they must be checked (a phrase, an excluded word whose list the
   * index cut): a page's bytes stay bounded however many candidates hold the words but not the
   * phrase (at 251,287 cables, thousands); "More results" checks the next ones. 15, not 20: the
   * longer cables' hit files are 5-12 KB as stored, and 20 of them alone would pass issue 17's
   * 100 KB for a later query. */
  var CHECK = 15;
  /* The same for the candidates of words so common that their lists in the index have no cable in
   * common (search-engine.js, `anyClause`): each is checked for every word, most of them fail. */
  var LOOSE_CHECK = 10;
  var LABELS = { from: "from", to: "to", origin: "post", classification: "classification", country: "country", topic: "topic" };
  var ID = /^\s*(\d{2}[A-Za-z]+\d+)\s*$/;  // a reference id typed whole: 10BAKU134
  var E = null;  // the engine, once loaded

  /* The engine and what every query needs first (meta.json.gz, the stemmer). */
  var loading = null;
  function engine() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("search-engine.js", scriptUrl).href;
        script.onload = function () { resolve(window.csSearchEngine(indexUrl, scriptUrl)); };
        script.onerror = function () { loading = null; reject(new Error("search-engine.js did not load")); };
        document.head.appendChild(script);
      }).then(function (loaded) {
        E = loaded;
        return E.ready();
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* ---- filters ---- */
  function option(select, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
  }
  function fillFilters(info, form) {
    if (form.dataset.filled) return;
    form.dataset.filled = "1";
    var years = info.years.map(function (y) { return y[0]; });
    ["from", "to"].forEach(function (name) {
      years.forEach(function (year) { option(form.elements[name], String(year), String(year)); });
    });
    E.FACETS.forEach(function (facet) {
      var select = form.elements[facet];
      (info.facets[facet] || []).forEach(function (value, number) {
        option(select, String(number), (value[2] || value[0]) + " (" + value[1] + ")");
      });
      select.closest("label").hidden = !(info.facets[facet] || []).length;
    });
  }
  /* Set the filters from [name, label] pairs (a URL's parameters). */
  function setFilters(info, form, pairs) {
    pairs.forEach(function (pair) {
      var select = form.elements[pair[0]];
      if (!select) return;
      if (E.FACETS.indexOf(pair[0]) < 0) { select.value = pair[1]; return; }
      var number = (info.facets[pair[0]] || []).findIndex(function (v) { return v[0] === pair[1]; });
      select.value = number >= 0 ? String(number) : "";
    });
  }


  /* ---- hits ---- */
  /* The paragraph holding the most query words (the posting's slot breaks ties). */
  function bestParagraph(record, which, slot) {
    var best = -1, bestCount = 0;
    record.p.forEach(function (paragraph, index) {
      var words = new Set();
      E.tokenize(paragraph[1]).forEach(function (t) { var w = which(t); if (w >= 0) words.add(w); });
      if (words.size > bestCount || (words.size === bestCount && bestCount > 0 && index + 1 === slot)) {
        best = index; bestCount = words.size;
      }
    });
    return best;
  }
  /* A window of the paragraph around its first matched word, the words wrapped in <mark>. */
  function snippet(text, which) {
    var container = document.createElement("span"), tokens = [], re = /[\p{L}\p{N}]+/gu, m;
    while ((m = re.exec(text))) {
      var folded = E.fold(m[0]);
      if (folded.length >= 2 && which(folded) >= 0) tokens.push([m.index, m.index + m[0].length]);
    }
    var start = tokens.length ? Math.max(0, tokens[0][0] - 80) : 0;
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + 240), at = start;
    if (start > 0) container.appendChild(document.createTextNode("… "));
    tokens.forEach(function (span) {
      if (span[0] < at || span[1] > end) return;
      container.appendChild(document.createTextNode(text.slice(at, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      container.appendChild(mark);
      at = span[1];
    });
    container.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    return container;
  }
  function span(className, content) {
    var element = document.createElement("span");
    element.className = className;
    if (typeof content === "string") element.textContent = content; else element.appendChild(content);
    return element;
  }
  var optionIds = 0;
  /* One hit: a link (in the dropdown, the link is the listbox's option itself, and not a tab stop). */
  function renderHit(record, hit, which, asOption) {
    var index = bestParagraph(record, which, hit.slot);
    var paragraph = index >= 0 ? record.p[index] : null;
    var link = document.createElement("a");
    link.className = "cs-hit";
    link.href = new URL(record.u + (paragraph ? "#" + paragraph[0] : ""), siteUrl).href;
    var source = paragraph ? paragraph[1] : (record.p[0] ? record.p[0][1] : "");
    link.append(span("cs-hit__title", record.s || record.i),
                span("cs-hit__meta", [record.i, record.d, record.o, record.c].filter(Boolean).join(" · ")),
                span("cs-hit__snippet", snippet(source, which)));
    var item = document.createElement("li");
    if (asOption) {
      item.setAttribute("role", "none");
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      link.tabIndex = -1;
      link.id = "cs-option-" + (++optionIds);
    }
    item.appendChild(link);
    return item;
  }

  /* The query text with the word `word` (a token of it) put as `replacement`. */
  function replaceWord(text, word, replacement) {
    var done = false;
    return text.replace(/[\p{L}\p{N}]+/gu, function (found) {
      if (done || E.fold(found) !== word) return found;
      done = true;
      return replacement;
    });
  }

  /* ---- one search box (the header's or the search page's) ---- */
  function Box(root) {
    var self = this;
    this.root = root;
    this.page = root.hasAttribute("data-cs-page");
    this.input = root.querySelector(".cs-search__input");
    this.panel = root.querySelector(".cs-search__panel");
    this.form = root.querySelector(".cs-search__filters");
    this.countLine = root.querySelector(".cs-search__count");
    this.suggest = root.querySelector(".cs-search__suggest");
    this.hitList = root.querySelector(".cs-search__hits");
    this.moreButton = root.querySelector(".cs-search__more");
    this.allLink = root.querySelector(".cs-search__all");
    this.generation = 0;
    this.active = -1;
    this.timer = 0;
    this.state = null;
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.enterPending = false;  // typing after Enter takes the Enter back
      self.timer = setTimeout(function () { self.run(); }, 150);
    });
    this.input.addEventListener("focus", function () {
      engine().then(function (info) { fillFilters(info, self.form); }).catch(function () {});
      if (self.input.value.trim() && self.panel) self.open(true);
    });
    this.form.addEventListener("change", function () { self.run(); });
    this.moreButton.addEventListener("click", function () { self.more(self.generation); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    if (this.panel) {
      this.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); self.close(); self.input.focus(); }
      });
      document.addEventListener("click", function (event) { if (!root.contains(event.target)) self.open(false); });
    }
    var enclosing = this.input.form;
    if (enclosing) enclosing.addEventListener("submit", function (event) { event.preventDefault(); self.run(); });
  }
  Box.prototype.open = function (open) {
    if (!this.panel) return;
    this.panel.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    if (!open) this.setActive(-1);
  };
  /* Escape: the panel closes and its results go, so that no later Enter opens a stale hit. */
  Box.prototype.close = function () {
    this.generation++;
    this.enterPending = false;
    this.runningText = null;
    clearTimeout(this.timer);
    this.state = null;
    this.hitList.textContent = "";
    this.countLine.textContent = "";
    if (this.suggest) this.suggest.textContent = "";
    this.moreButton.hidden = true;
    this.open(false);
  };
  Box.prototype.options = function () {
    return Array.prototype.slice.call(this.hitList.querySelectorAll("a.cs-hit"));
  };
  Box.prototype.setActive = function (index) {
    var all = this.options();
    this.active = all.length && index >= 0 ? (index + all.length) % all.length : -1;
    var active = this.active;
    all.forEach(function (a, i) { a.setAttribute("aria-selected", String(i === active)); });
    if (active >= 0) {
      this.input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };
  Box.prototype.key = function (event) {
    if (this.panel && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      if (this.panel.hidden && this.input.value.trim()) { this.open(true); return; }
      this.setActive(this.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Escape" && this.panel) {
      event.preventDefault();
      if (!this.panel.hidden || this.hitList.firstChild) this.close(); else { this.input.value = ""; }
    } else if (event.key === "Enter") {
      event.preventDefault();
      if ((this.page && this.active < 0) || (this.panel && this.panel.hidden)) { this.run(); return; }  // a closed panel opens
      if (this.state && this.state.ready && this.state.text === this.input.value) { this.choose(); return; }
      this.enterPending = true;  // Enter acts on the text typed: once its hits are in
      if (this.runningText !== this.input.value) { clearTimeout(this.timer); this.run(); }
    }
  };
  /* Open the hit chosen with the arrow keys, or the first. */
  Box.prototype.choose = function () {
    this.enterPending = false;
    var all = this.options();
    if (all.length) all[Math.max(this.active, 0)].click();
  };
  /* The header box keeps its query in the history entry, so that Back shows it again. */
  Box.prototype.remember = function () {
    if (history.state && history.state.csQuery === this.input.value) return;
    var state = Object.assign({}, history.state || {}, { csQuery: this.input.value });
    try { history.replaceState(state, ""); } catch (err) { /* a sandboxed page: nothing to keep */ }
  };
  Box.prototype.query = function () {
    var params = new URLSearchParams();
    params.set("q", this.input.value.trim());
    return params;
  };
  Box.prototype.run = function (quiet) {
    var self = this, mine = ++this.generation, text = this.input.value;
    clearTimeout(this.timer);
    this.runningText = text;
    if (this.panel && !quiet) this.open(Boolean(text.trim()));
    if (this.panel) this.remember();
    if (!text.trim()) {
      this.show(mine, null, "");
      if (this.page) this.updateUrl(null);
      return;
    }
    engine().then(function (info) {
      if (mine !== self.generation) return;
      var query = E.parseQuery(text);
      fillFilters(info, self.form);
      if (self.page) self.updateUrl(info);
      if (self.allLink) self.allLink.href = self.pageUrl(info);
      if (!query.clauses.length) { self.show(mine, null, "Type a word of at least two letters."); return; }
      return Promise.all([E.match(info, query), E.activeFilters(info, self.form)]).then(function (parts) {
        if (mine !== self.generation) return;
        var found = [], tests = parts[1];
        parts[0].hits.forEach(function (value, doc) {
          if (tests.every(function (test) { return test(doc); })) found.push({ doc: doc, score: value.score, slot: value.slot, phrase: value.phrase });
        });
        found.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var state = { text: text, query: query, found: found, partial: parts[0].partial, which: E.matcher(query), info: info,
                      verify: parts[0].verify ? { test: E.verifier(query, parts[0].loose), all: parts[0].verifyAll } : null,
                      loose: parts[0].loose,
                      next: 0, passed: 0, ready: false };
        return self.jumpTarget(info, text, found).then(function (jump) {
          if (mine !== self.generation) return;
          if (jump && self.page) { location.replace(new URL(jump.record.u, siteUrl).href); return; }
          if (jump) { found.splice(found.indexOf(jump.hit), 1); found.unshift(jump.hit); state.jump = jump; }
          self.show(mine, state, null);
        });
      });
    }).catch(function (err) { self.show(mine, null, "Search is unavailable: " + err.message); });
  };
  /* A reference id typed whole: its cable, when the index holds it (the id is in slot 0). */
  Box.prototype.jumpTarget = function (info, text, found) {
    var id = ID.exec(text);
    if (!id) return Promise.resolve(null);
    var candidates = found.filter(function (hit) { return hit.slot === 0; }).slice(0, 5);
    return Promise.all(candidates.map(function (hit) { return E.docFile(info, hit.doc); })).then(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].i.toLowerCase() === id[1].toLowerCase()) return { hit: candidates[i], record: records[i] };
      }
      return null;
    });
  };
  Box.prototype.show = function (mine, state, message) {
    if (mine !== this.generation) return;
    this.hitList.textContent = "";
    if (this.suggest) this.suggest.textContent = "";
    this.state = state;
    this.setActive(-1);
    this.root.setAttribute("data-cs-count", String(state ? state.found.length : 0));
    if (!state) { this.countLine.textContent = message; this.moreButton.hidden = true; return; }
    if (state.found.length) { this.count(); this.more(mine); return; }
    this.explain(mine);
    state.ready = true;
    this.enterPending = false;
    this.root.setAttribute("data-cs-ready", String(mine));
  };
  Box.prototype.count = function () {
    var state = this.state, n;
    if (state.loose) {
      n = state.passed;
      this.countLine.textContent = n + (n === 1 ? " cable" : " cables") + " so far: the words are common, " +
        state.next.toLocaleString("en-US") + " of " + state.found.length.toLocaleString("en-US") + " likely cables checked";
    } else if (state.verify) {
      var unchecked = state.found.length - state.next;
      n = state.passed + unchecked;
      this.countLine.textContent = (unchecked ? "at most " : "") + n + (n === 1 ? " cable" : " cables");
    } else {
      n = state.found.length;
      this.countLine.textContent = (state.partial ? "at least " : "") + n + (n === 1 ? " cable" : " cables");
    }
  };
  /* Nothing found: which filters are on, and near spellings of the query's words. */
  Box.prototype.explain = function (mine) {
    var self = this, state = this.state, filters = E.filterLabels(state.info, this.form);
    var line = state.loose ? "No cable among the " + state.found.length.toLocaleString("en-US") + " likely ones holds every word"
      : "No cables match";
    if (filters.length) {
      line += " with the filters " + filters.map(function (f) { return LABELS[f[0]] + " " + f[1]; }).join(", ");
    }
    this.countLine.textContent = line + ".";
    var words = [];
    state.query.clauses.forEach(function (clause) { clause.forEach(function (alt) { words = words.concat(alt.words); }); });
    Promise.all(words.map(E.nearSpellings)).then(function (lists) {
      if (mine !== self.generation || !self.suggest) return;
      var offered = 0;
      lists.forEach(function (list, i) {
        list.forEach(function (near) {
          if (!offered++) self.suggest.append("Did you mean ");
          else self.suggest.append(", ");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "cs-search__spelling";
          button.textContent = replaceWord(self.input.value, words[i], near.term);
          button.addEventListener("click", function () {
            self.input.value = button.textContent;
            self.input.focus();
            self.run();
          });
          self.suggest.append(button);
        });
      });
      if (offered) self.suggest.append("?");
    });
  };
  /* The next page of hits: hit files are fetched only for the hits shown (and, for a phrase or
   * an excluded word, for the candidates checked on the way, at most CHECK a page). */
  Box.prototype.more = function (mine) {
    var self = this, state = this.state;
    if (!state) return;
    var rendered = 0, checked = 0, limit = state.loose ? LOOSE_CHECK : CHECK;
    function step() {
      if (mine !== self.generation) return Promise.resolve();
      var page = state.found.slice(state.next, state.next + Math.min(PAGE - rendered, state.verify ? limit - checked : PAGE));
      if (!page.length) return Promise.resolve();
      state.next += page.length;
      checked += page.length;
      return Promise.all(page.map(function (hit) { return E.hitRecord(state.info, hit, state.verify); })).then(function (records) {
        if (mine !== self.generation) return;
        records.forEach(function (record, i) {
          if (!record) return;  // it failed the check of a phrase or an excluded word
          state.passed++;
          rendered++;
          self.hitList.appendChild(renderHit(record, page[i], state.which, Boolean(self.panel)));
        });
        if (rendered < PAGE && state.verify && checked < limit) return step();
      });
    }
    this.moreButton.hidden = true;
    step().then(function () {
      if (mine !== self.generation) return;
      self.count();
      if (state.verify && !state.passed && state.next >= state.found.length) self.explain(mine);
      self.moreButton.hidden = state.next >= state.found.length;
      state.ready = true;
      self.root.setAttribute("data-cs-ready", String(mine));
      self.root.setAttribute("data-cs-checked", String(state.next));  // candidates looked at so far
      if (self.enterPending && self.panel) self.choose();
    }).catch(function (err) { self.countLine.textContent = "Search is unavailable: " + err.message; });
  };
  /* search.html?q=...&from=...: the query and filters of this box. */
  Box.prototype.pageUrl = function (info) {
    var params = this.query();
    E.filterLabels(info, this.form).forEach(function (pair) { params.set(pair[0], pair[1]); });
    return new URL("search.html?" + params.toString(), siteUrl).href;
  };
  Box.prototype.updateUrl = function (info) {
    var url = info ? this.pageUrl(info) : new URL("search.html", siteUrl).href;
    if (url !== location.href) history.replaceState(history.state, "", url);
  };
  /* The search page: query and filters from the URL. */
  Box.prototype.restoreFromUrl = function () {
    var self = this, params = new URLSearchParams(location.search);
    this.input.value = params.get("q") || "";
    engine().then(function (info) {
      fillFilters(info, self.form);
      setFilters(info, self.form, E.PARAMS.filter(function (name) { return params.get(name); })
        .map(function (name) { return [name, params.get(name)]; }));
      if (self.input.value.trim()) self.run();
    }).catch(function (err) { self.countLine.textContent = "Search is unavailable: " + err.message; });
  };

  var boxes = roots.map(function (root) { return new Box(root); });
  var main = boxes.filter(function (box) { return box.page; })[0] || boxes[0];
  var headerBox = boxes.filter(function (box) { return !box.page; })[0];
  if (main.page) main.restoreFromUrl();
  /* Back to a page whose header box had a query: the query is shown again (results on focus). */
  window.addEventListener("pageshow", function () {
    var saved = history.state && history.state.csQuery;
    if (headerBox && saved && !headerBox.input.value) { headerBox.input.value = saved; headerBox.run(true); headerBox.open(false); }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var busy = target && target.closest && target.closest("a[href], button, input, select, textarea, [contenteditable], [tabindex], summary, label");
    if (busy || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      main.input.focus();
      main.input.select();
    }
  });
})();
