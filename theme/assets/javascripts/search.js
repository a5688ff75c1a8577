/* Cable search: reads the fragmented index that `cablesite build` writes to search/
 * (format in generator/search/encode.py, terms in generator/search/analysis.py). A query
 * fetches meta.json and the stemmer once, one ~16 KB term shard per word and one small JSON
 * file per hit shown. Cable text is only ever inserted as text nodes; the only markup built
 * here is <mark> around matched words.
 *
 * Two kinds of box share this engine: the header's (a combobox with a dropdown of hits) and
 * the search page's (search.html?q=...&from=...: query and filters live in the URL). */
(function () {
  "use strict";

  var roots = Array.prototype.slice.call(document.querySelectorAll("[data-cs-search]"));
  var header = document.querySelector("[data-cs-search][data-cs-index]");
  if (!roots.length || !header) return;
  var indexUrl = new URL(header.getAttribute("data-cs-index"), document.baseURI);
  var siteUrl = new URL("../", indexUrl);
  var scriptUrl = (document.currentScript && document.currentScript.src) || new URL("assets/javascripts/search.js", siteUrl).href;
  var PAGE = 10;
  var MAX_EXPANSIONS = 16;  // terms a word being typed stands for
  var PREFIX_SHARDS = 3;  // shards a word being typed may span
  var EXACT = 0.5;  // weight of the form typed, on top of its stem's (exact forms rank first)
  var COMPLETION = 0.6;  // weight of a term the word being typed begins, of another stem
  var STEM_MARK = " ";  // ends a stem's entry (generator/search/analysis.py)
  var FACETS = ["origin", "classification", "country", "topic"];
  var PARAMS = ["from", "to"].concat(FACETS);
  var LABELS = { from: "from", to: "to", origin: "post", classification: "classification", country: "country", topic: "topic" };
  var STOP = new Set(("a an and are as at be but by did do does for from had has have he her his how if in into is it " +
    "its me my no not of on or our she so than that the their them then there these they this those to was we were what " +
    "when where which who whom why will with would you your").split(" "));
  var ID = /^\s*(\d{2}[A-Za-z]+\d+)\s*$/;  // a reference id typed whole: 10BAKU134

  /* ---- tokens: the same rules as generator/search/tokens.py ---- */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function tokenize(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (t) {
      return t.length >= 2 && t.length <= 32;
    });
  }
  var stemOf = function (word) { return word; };
  function stem(word) { return /^[a-z]+$/.test(word) ? stemOf(word) : word; }

  /* ---- fetching, each file once; .gz files are unpacked here (see encode.py) ---- */
  var cache = new Map();
  var decoder = new TextDecoder();
  function gunzip(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes); // the host unpacked it
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function load(path, kind) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, indexUrl)).then(function (response) {
        if (!response.ok) throw new Error("search index: " + path + ": HTTP " + response.status);
        return response.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        return /\.gz$/.test(path) ? gunzip(bytes) : bytes;
      }).then(function (bytes) {
        return kind === "json" ? JSON.parse(decoder.decode(bytes)) : bytes;
      }).catch(function (err) { cache.delete(path); throw err; }));
    }
    return cache.get(path);
  }
  var stemmer = null;
  function loadStemmer() {
    if (!stemmer) {
      stemmer = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("stemmer.js", scriptUrl).href;
        script.onload = function () { stemOf = window.csStem; resolve(); };
        script.onerror = function () { stemmer = null; reject(new Error("search: stemmer.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return stemmer;
  }
  /* meta.json and the stemmer: what every query needs first. */
  function engine() {
    return Promise.all([load("meta.json", "json"), loadStemmer()]).then(function (parts) { return parts[0]; });
  }

  function varint(bytes, state) {
    var value = 0, shift = 0, byte;
    do {
      byte = bytes[state.pos++];
      value += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (byte & 0x80);
    return value;
  }

  var shards = new Map();
  function shard(number) {
    if (!shards.has(number)) {
      shards.set(number, load("t/" + number + ".bin.gz", "bin").then(parseShard));
    }
    return shards.get(number);
  }
  function parseShard(bytes) {
    var entries = [], state = { pos: 0 }, previous = new Uint8Array(0);
    while (state.pos < bytes.length) {
      var shared = varint(bytes, state), length = varint(bytes, state);
      var term = new Uint8Array(shared + length);
      term.set(previous.subarray(0, shared));
      term.set(bytes.subarray(state.pos, state.pos + length), shared);
      state.pos += length;
      var df = varint(bytes, state), count = varint(bytes, state), size = varint(bytes, state);
      entries.push({ term: decoder.decode(term), df: df, count: count, bytes: bytes, offset: state.pos });
      state.pos += size;
      previous = term;
    }
    entries.byTerm = new Map(entries.map(function (e) { return [e.term, e]; }));
    return entries;
  }
  function postings(entry) {
    if (entry.list) return entry.list;
    var state = { pos: entry.offset }, doc = 0, list = [];
    for (var i = 0; i < entry.count; i++) {
      doc += varint(entry.bytes, state);
      var slot = varint(entry.bytes, state);
      list.push([doc, slot, entry.bytes[state.pos++]]);
    }
    entry.list = list;
    return list;
  }
  function shardOf(boundaries, term) {
    var lo = 0, hi = boundaries.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (boundaries[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function entryOf(info, term) {
    if (!info.shards.length) return Promise.resolve(undefined);
    return shard(shardOf(info.shards, term)).then(function (entries) { return entries.byTerm.get(term); });
  }

  /* The most frequent terms a word being typed begins. Terms run in order across shards: a
   * prefix's run starts in the shard of the prefix and goes on into each next shard whose
   * first term still begins with it (it may begin right at a shard's first term). */
  function completions(info, prefix) {
    var first = shardOf(info.shards, prefix), last = first;
    while (last + 1 < info.shards.length && last + 1 < first + PREFIX_SHARDS && info.shards[last + 1].startsWith(prefix)) last++;
    var wanted = [];
    for (var n = first; n <= last; n++) wanted.push(shard(n));
    return Promise.all(wanted).then(function (lists) {
      var found = [];
      lists.forEach(function (entries) {
        entries.forEach(function (e) { if (e.term.startsWith(prefix) && e.term.indexOf(STEM_MARK) < 0) found.push(e); });
      });
      return found.sort(function (a, b) { return b.df - a.df || (a.term < b.term ? -1 : 1); }).slice(0, MAX_EXPANSIONS);
    });
  }

  function idf(total, df) { return Math.log(1 + (total - df + 0.5) / (df + 0.5)); }

  /* doc -> {score, slot} for one query word: the cables holding any of its forms (its stem's
   * entry, and the term equal to the stem), scored as one term, plus a bonus for the form
   * typed; `exact` (a quoted word) takes the form typed only; `prefix` (the word being typed)
   * adds the terms it begins. */
  function wordHits(info, word, exact, prefix) {
    var root = exact ? word : stem(word);
    return Promise.all([
      entryOf(info, word),
      root !== word ? entryOf(info, root) : null,
      exact ? null : entryOf(info, root + STEM_MARK),
      prefix ? completions(info, word) : []
    ]).then(function (found) {
      var own = found[0], base = root === word ? own : found[1], forms = found[2], extra = found[3];
      var hits = new Map(), partial = false, df = 0;
      function add(entry, weight, bonus) {
        if (!entry) return;
        if (entry.count < entry.df) partial = true;
        postings(entry).forEach(function (p) {
          var seen = hits.get(p[0]);
          if (!seen) hits.set(p[0], seen = { score: 0, group: 0, slot: p[1] });
          if (bonus) seen.score += weight * p[2] / 255;
          else seen.group = Math.max(seen.group, weight * p[2] / 255);
          seen.slot = Math.min(seen.slot, p[1]);
        });
      }
      if (forms) df += forms.df;
      if (base) df += base.df;
      var weight = idf(info.docs, Math.min(info.docs, df || 1));
      add(forms, weight, false);
      if (base) {  // a cable in the stem's entry is scored there (its count holds every form)
        postings(base).forEach(function (p) {
          var seen = hits.get(p[0]);
          if (!seen) hits.set(p[0], { score: 0, group: weight * p[2] / 255, slot: p[1] });
          else if (!forms || !seen.group) seen.group = Math.max(seen.group, weight * p[2] / 255);
        });
        if (base.count < base.df) partial = true;
      }
      if (own) add(own, EXACT * idf(info.docs, own.df), true);
      extra.forEach(function (entry) {
        if (entry.term === word || entry.term === root || stem(entry.term) === root) return;  // counted above
        if (entry.count < entry.df) partial = true;
        var w = COMPLETION * idf(info.docs, entry.df);
        postings(entry).forEach(function (p) {
          var seen = hits.get(p[0]);
          if (!seen) hits.set(p[0], seen = { score: 0, group: 0, slot: p[1] });
          seen.group = Math.max(seen.group, w * p[2] / 255);
        });
      });
      hits.forEach(function (value) { value.score += value.group; });
      return { hits: hits, partial: partial };
    });
  }

  /* ---- the query language: words (all required, stop words optional), "phrases", OR, -word ---- */
  function parseQuery(text) {
    var re = /(-?)"([^"]*)"?|(\S+)/g, m, clauses = [], excluded = [], join = false, open = !/[\s"]$/.test(text);
    while ((m = re.exec(text))) {
      var negative, alts, atEnd = re.lastIndex === text.length;
      if (m[2] !== undefined) {
        negative = m[1] === "-";
        var words = tokenize(m[2]);
        alts = words.length ? [{ words: words, phrase: words.length > 1, exact: true, text: m[2] }] : [];
      } else if (m[3] === "OR") {
        join = clauses.length > 0;
        continue;
      } else {
        negative = m[3].length > 1 && m[3][0] === "-";
        alts = tokenize(negative ? m[3].slice(1) : m[3]).map(function (w) {
          return { words: [w], phrase: false, exact: false, text: w };
        });
        if (atEnd && open && alts.length && !negative) {
          var last = alts[alts.length - 1];
          last.prefix = last.words[0].length >= 3;
        }
      }
      if (negative) { excluded = excluded.concat(alts); continue; }
      alts.forEach(function (alt, i) {
        if (join && i === 0) clauses[clauses.length - 1].push(alt); else clauses.push([alt]);
      });
      if (alts.length) join = false;
    }
    var required = clauses.filter(function (clause) {
      return !clause.every(function (alt) { return !alt.phrase && !alt.exact && STOP.has(alt.words[0]); });
    });
    return { clauses: required.length ? required : clauses, excluded: excluded,
             phrases: clauses.some(function (c) { return c.some(function (a) { return a.phrase; }); }) };
  }
  /* The hits of one alternative: a word, or a phrase (its words, exact forms; checked later). */
  function altHits(info, alt) {
    if (!alt.phrase) return wordHits(info, alt.words[0], alt.exact, alt.prefix);
    var words = alt.words.filter(function (w) { return !STOP.has(w); });
    return Promise.all((words.length ? words : alt.words).map(function (w) { return wordHits(info, w, true, false); }))
      .then(function (parts) { return intersect(parts); });
  }
  function intersect(parts) {
    var result = parts[0];
    parts.slice(1).forEach(function (part) {
      var joined = new Map();
      result.hits.forEach(function (value, doc) {
        var other = part.hits.get(doc);
        if (other) joined.set(doc, { score: value.score + other.score, slot: Math.min(value.slot, other.slot) });
      });
      result = { hits: joined, partial: result.partial || part.partial };
    });
    return result;
  }
  function union(parts) {
    var hits = new Map(), partial = false;
    parts.forEach(function (part) {
      partial = partial || part.partial;
      part.hits.forEach(function (value, doc) {
        var seen = hits.get(doc);
        if (!seen || seen.score < value.score) hits.set(doc, value);
      });
    });
    return { hits: hits, partial: partial };
  }
  /* doc -> {score, slot} for the whole query; `verify` when hit files must be read to be sure
   * (a phrase, or an excluded word whose list the index cut). */
  function match(info, query) {
    return Promise.all([
      Promise.all(query.clauses.map(function (clause) {
        return Promise.all(clause.map(function (alt) { return altHits(info, alt); })).then(union);
      })).then(intersect),
      Promise.all(query.excluded.map(function (alt) { return alt.phrase ? null : altHits(info, alt); }))
    ]).then(function (parts) {
      var result = parts[0], verify = query.phrases;
      parts[1].forEach(function (gone, i) {
        if (!gone) { verify = true; return; }
        if (gone.partial) verify = true;
        gone.hits.forEach(function (value, doc) { result.hits.delete(doc); });
      });
      return { hits: result.hits, partial: result.partial, verify: verify };
    });
  }

  /* ---- matching in hit files: which words to mark, phrases, excluded words ---- */
  function altMatches(alt) {
    if (alt.exact) return function (t) { return alt.words.indexOf(t) >= 0; };
    var word = alt.words[0], root = stem(word);
    return function (t) { return t === word || stem(t) === root || (alt.prefix && t.startsWith(word)); };
  }
  function matcher(query) {
    var tests = [];
    query.clauses.forEach(function (clause, i) {
      clause.forEach(function (alt) { tests.push([altMatches(alt), i]); });
    });
    return function (token) {
      for (var i = 0; i < tests.length; i++) if (tests[i][0](token)) return tests[i][1];
      return -1;
    };
  }
  function hasRun(tokens, words) {
    outer: for (var i = 0; i + words.length <= tokens.length; i++) {
      for (var j = 0; j < words.length; j++) if (tokens[i + j] !== words[j]) continue outer;
      return true;
    }
    return false;
  }
  /* Whether a hit file holds what the query asks: each clause's phrase (or other alternative)
   * within one paragraph or the subject, and no excluded word or phrase. */
  function verifier(query) {
    return function (record) {
      var texts = [tokenize(record.s + " " + record.i)].concat(record.p.map(function (p) { return tokenize(p[1]); }));
      function holds(alt) {
        if (alt.phrase) return texts.some(function (tokens) { return hasRun(tokens, alt.words); });
        var test = altMatches(alt);
        return texts.some(function (tokens) { return tokens.some(test); });
      }
      return query.clauses.every(function (clause) {
        return clause.some(function (alt) { return !alt.phrase || holds(alt); });
      }) && !query.excluded.some(holds);
    };
  }

  /* ---- filters ---- */
  function docSet(facet, number) {
    return load("f/" + facet + "/" + number + ".bin", "bin").then(function (bytes) {
      if (bytes[0] === 1) return function (doc) { return (bytes[1 + (doc >> 3)] >> (doc & 7)) & 1; };
      var members = new Set(), state = { pos: 1 }, doc = 0;
      while (state.pos < bytes.length) { doc += varint(bytes, state); members.add(doc); }
      return function (d) { return members.has(d); };
    });
  }
  function activeFilters(info, form) {
    var tests = [], values = new FormData(form);
    var from = Number(values.get("from")) || 0, to = Number(values.get("to")) || 99999;
    if (from || to < 99999) {
      var ranges = info.years.filter(function (y) { return y[0] >= from && y[0] <= to; });
      tests.push(Promise.resolve(function (doc) {
        return ranges.some(function (r) { return doc >= r[1] && doc < r[2]; });
      }));
    }
    FACETS.forEach(function (facet) {
      var chosen = values.get(facet);
      if (chosen) tests.push(docSet(facet, chosen));
    });
    return Promise.all(tests);
  }
  /* The filters set, as [name, label] pairs: for the URL and for "no results" messages. */
  function filterLabels(info, form) {
    var values = new FormData(form), labels = [];
    PARAMS.forEach(function (name) {
      var value = values.get(name);
      if (!value) return;
      labels.push([name, FACETS.indexOf(name) >= 0 ? info.facets[name][Number(value)][0] : value]);
    });
    return labels;
  }
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
    FACETS.forEach(function (facet) {
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
      if (FACETS.indexOf(pair[0]) < 0) { select.value = pair[1]; return; }
      var number = (info.facets[pair[0]] || []).findIndex(function (v) { return v[0] === pair[1]; });
      select.value = number >= 0 ? String(number) : "";
    });
  }

  /* ---- hits ---- */
  function docFile(info, doc) {
    return load("d/" + Math.floor(doc / info.folder) + "/" + doc + ".json.gz", "json");
  }
  /* The paragraph holding the most query words (the posting's slot breaks ties). */
  function bestParagraph(record, which, slot) {
    var best = -1, bestCount = 0;
    record.p.forEach(function (paragraph, index) {
      var words = new Set();
      tokenize(paragraph[1]).forEach(function (t) { var w = which(t); if (w >= 0) words.add(w); });
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
      var folded = fold(m[0]);
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

  /* ---- near spellings, for a query that found nothing ---- */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous = [], current;
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        best = Math.min(best, current[j]);
      }
      if (best > limit) return limit + 1;
      previous = current;
    }
    return previous[b.length];
  }
  /* Terms at edit distance 1 (2 for words of 6 letters or more) of a word, from the shards
   * already fetched, most frequent first. */
  function nearSpellings(word) {
    var limit = word.length >= 6 ? 2 : 1;
    return Promise.all(Array.from(shards.values())).then(function (lists) {
      var found = new Map();
      lists.forEach(function (entries) {
        entries.forEach(function (e) {
          if (e.term === word || e.term.indexOf(STEM_MARK) >= 0 || found.has(e.term)) return;
          var d = distance(word, e.term, limit);
          if (d <= limit) found.set(e.term, { term: e.term, d: d, df: e.df });
        });
      });
      return Array.from(found.values()).sort(function (a, b) { return a.d - b.d || b.df - a.df; }).slice(0, 3);
    });
  }

  /* The query text with the word `word` (a token of it) put as `replacement`. */
  function replaceWord(text, word, replacement) {
    var done = false;
    return text.replace(/[\p{L}\p{N}]+/gu, function (found) {
      if (done || fold(found) !== word) return found;
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
      var all = this.options();
      if (this.page && this.active < 0 && !(this.state && this.state.jump)) { this.run(); return; }
      if (this.state && this.state.ready && all.length) {
        all[Math.max(this.active, 0)].click();
      }
    }
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
    var query = parseQuery(text);
    if (this.panel && !quiet) this.open(Boolean(text.trim()));
    if (this.panel) this.remember();
    if (!query.clauses.length) {
      this.show(mine, null, text.trim() ? "Type a word of at least two letters." : "");
      if (this.page) this.updateUrl(null);
      return;
    }
    engine().then(function (info) {
      fillFilters(info, self.form);
      if (self.page) self.updateUrl(info);
      if (self.allLink) self.allLink.href = self.pageUrl(info);
      return Promise.all([match(info, query), activeFilters(info, self.form)]).then(function (parts) {
        if (mine !== self.generation) return;
        var found = [], tests = parts[1];
        parts[0].hits.forEach(function (value, doc) {
          if (tests.every(function (test) { return test(doc); })) found.push({ doc: doc, score: value.score, slot: value.slot });
        });
        found.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var state = { query: query, found: found, partial: parts[0].partial, which: matcher(query), info: info,
                      verify: parts[0].verify ? verifier(query) : null, next: 0, passed: 0, ready: false };
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
    return Promise.all(candidates.map(function (hit) { return docFile(info, hit.doc); })).then(function (records) {
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
    this.root.setAttribute("data-cs-ready", String(mine));
  };
  Box.prototype.count = function () {
    var state = this.state, n;
    if (state.verify) {
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
    var self = this, state = this.state, filters = filterLabels(state.info, this.form);
    var line = "No cables match";
    if (filters.length) {
      line += " with the filters " + filters.map(function (f) { return LABELS[f[0]] + " " + f[1]; }).join(", ");
    }
    this.countLine.textContent = line + ".";
    var words = [];
    state.query.clauses.forEach(function (clause) { clause.forEach(function (alt) { words = words.concat(alt.words); }); });
    Promise.all(words.map(nearSpellings)).then(function (lists) {
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
   * an excluded word, for the candidates checked on the way). */
  Box.prototype.more = function (mine) {
    var self = this, state = this.state;
    if (!state) return;
    var rendered = 0;
    function step() {
      if (mine !== self.generation) return Promise.resolve();
      var page = state.found.slice(state.next, state.next + PAGE - rendered);
      if (!page.length) return Promise.resolve();
      state.next += page.length;
      return Promise.all(page.map(function (hit) { return docFile(state.info, hit.doc); })).then(function (records) {
        if (mine !== self.generation) return;
        records.forEach(function (record, i) {
          if (state.verify && !state.verify(record)) return;
          state.passed++;
          rendered++;
          self.hitList.appendChild(renderHit(record, page[i], state.which, Boolean(self.panel)));
        });
        if (rendered < PAGE && state.verify) return step();
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
    }).catch(function (err) { self.countLine.textContent = "Search is unavailable: " + err.message; });
  };
  /* search.html?q=...&from=...: the query and filters of this box. */
  Box.prototype.pageUrl = function (info) {
    var params = this.query();
    filterLabels(info, this.form).forEach(function (pair) { params.set(pair[0], pair[1]); });
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
      setFilters(info, self.form, PARAMS.filter(function (name) { return params.get(name); })
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
