/* Cable search: reads the fragmented index that `cablesite build` writes to search/
 * (format in generator/search/encode.py). A query fetches meta.json once, one ~16 KB term
 * shard per word and one small JSON file per hit shown. Cable text is only ever inserted as
 * text nodes; the only markup built here is <mark> around matched words. */
(function () {
  "use strict";

  var root = document.querySelector("[data-cs-search]");
  if (!root) return;
  var indexUrl = new URL(root.getAttribute("data-cs-index"), document.baseURI);
  var siteUrl = new URL("../", indexUrl);
  var input = root.querySelector(".cs-search__input");
  var panel = root.querySelector(".cs-search__panel");
  var filtersForm = root.querySelector(".cs-search__filters");
  var countLine = root.querySelector(".cs-search__count");
  var hitList = root.querySelector(".cs-search__hits");
  var moreButton = root.querySelector(".cs-search__more");
  var PAGE = 10;
  var MAX_EXPANSIONS = 16;
  var FACETS = ["origin", "classification", "country", "topic"];

  /* ---- tokens: the same rules as generator/search/tokens.py ---- */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function tokenize(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (t) {
      return t.length >= 2 && t.length <= 32;
    });
  }

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
  var meta = function () { return load("meta.json", "json"); };

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
    return entries;
  }
  function postings(entry) {
    var state = { pos: entry.offset }, doc = 0, list = [];
    for (var i = 0; i < entry.count; i++) {
      doc += varint(entry.bytes, state);
      var slot = varint(entry.bytes, state);
      list.push([doc, slot, entry.bytes[state.pos++]]);
    }
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

  /* The index entries of one query word: the term itself, or, for the word being typed,
   * the most frequent terms it begins (the run may continue into the next shard). */
  function entriesFor(info, word, asPrefix) {
    var first = shardOf(info.shards, word);
    return shard(first).then(function (entries) {
      if (!asPrefix) return entries.filter(function (e) { return e.term === word; });
      var found = entries.filter(function (e) { return e.term.startsWith(word); });
      var last = entries[entries.length - 1];
      var more = first + 1 < info.shards.length && last && last.term.startsWith(word)
        ? shard(first + 1).then(function (next) { return next.filter(function (e) { return e.term.startsWith(word); }); })
        : Promise.resolve([]);
      return more.then(function (extra) {
        return found.concat(extra).sort(function (a, b) { return b.df - a.df || (a.term < b.term ? -1 : 1); })
          .slice(0, MAX_EXPANSIONS);
      });
    });
  }

  function idf(total, df) { return Math.log(1 + (total - df + 0.5) / (df + 0.5)); }

  /* doc -> {score, slot} for every cable holding every word; `partial` when a capped list was cut. */
  function match(info, words, prefixLast) {
    return Promise.all(words.map(function (word, i) {
      return entriesFor(info, word, prefixLast && i === words.length - 1);
    })).then(function (perWord) {
      var partial = false, scored = null;
      perWord.forEach(function (entries) {
        var hits = new Map();
        entries.forEach(function (entry) {
          if (entry.count < entry.df) partial = true;
          var weight = idf(info.docs, entry.df);
          postings(entry).forEach(function (p) {
            var score = weight * p[2] / 255, seen = hits.get(p[0]);
            if (!seen || seen.score < score) hits.set(p[0], { score: score, slot: p[1] });
          });
        });
        if (scored === null) { scored = hits; return; }
        var joined = new Map();
        scored.forEach(function (value, doc) {
          var other = hits.get(doc);
          if (other) joined.set(doc, { score: value.score + other.score, slot: value.slot || other.slot });
        });
        scored = joined;
      });
      return { hits: scored || new Map(), partial: partial };
    });
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
  function activeFilters(info) {
    var tests = [], values = new FormData(filtersForm);
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
  function option(select, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
  }
  function fillFilters(info) {
    var years = info.years.map(function (y) { return y[0]; });
    ["from", "to"].forEach(function (name) {
      var select = filtersForm.elements[name];
      years.forEach(function (year) { option(select, String(year), String(year)); });
    });
    FACETS.forEach(function (facet) {
      var select = filtersForm.elements[facet];
      (info.facets[facet] || []).forEach(function (value, number) {
        option(select, String(number), value[0] + " (" + value[1] + ")");
      });
      select.closest("label").hidden = !(info.facets[facet] || []).length;
    });
  }

  /* ---- hits ---- */
  function docFile(info, doc) {
    return load("d/" + Math.floor(doc / info.folder) + "/" + doc + ".json.gz", "json");
  }
  function matcher(words, prefixLast) {
    return function (token) {
      for (var i = 0; i < words.length; i++) {
        if (token === words[i] || (prefixLast && i === words.length - 1 && token.startsWith(words[i]))) return i;
      }
      return -1;
    };
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
  function renderHit(record, hit, which) {
    var index = bestParagraph(record, which, hit.slot);
    var paragraph = index >= 0 ? record.p[index] : null;
    var link = document.createElement("a");
    link.className = "cs-hit";
    link.href = new URL(record.u + (paragraph ? "#" + paragraph[0] : ""), siteUrl).href;
    var title = document.createElement("span");
    title.className = "cs-hit__title";
    title.textContent = record.s || record.i;
    var details = document.createElement("span");
    details.className = "cs-hit__meta";
    details.textContent = [record.i, record.d, record.o, record.c].filter(Boolean).join(" · ");
    var text = document.createElement("span");
    text.className = "cs-hit__snippet";
    var source = paragraph ? paragraph[1] : (record.p[0] ? record.p[0][1] : "");
    text.appendChild(snippet(source, which));
    link.append(title, details, text);
    var item = document.createElement("li");
    item.setAttribute("role", "option");
    item.appendChild(link);
    return item;
  }

  /* ---- running a query ---- */
  var generation = 0, shown = [], shownCount = 0, currentWhich = null;
  function run() {
    var mine = ++generation, query = input.value;
    var words = tokenize(query);
    var prefixLast = words.length > 0 && !/[\s"]$/.test(query) && words[words.length - 1].length >= 3;
    if (!words.length) { show(mine, [], false, null, query.trim() ? "Type at least two letters." : ""); return; }
    meta().then(function (info) {
      return Promise.all([match(info, words, prefixLast), activeFilters(info)]).then(function (parts) {
        var found = [], tests = parts[1];
        parts[0].hits.forEach(function (value, doc) {
          if (tests.every(function (test) { return test(doc); })) found.push({ doc: doc, score: value.score, slot: value.slot });
        });
        found.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        show(mine, found, parts[0].partial, matcher(words, prefixLast), null);
      });
    }).catch(function (err) { show(mine, [], false, null, "Search is unavailable: " + err.message); });
  }
  function show(mine, found, partial, which, message) {
    if (mine !== generation) return;
    panel.hidden = !input.value.trim() && !message;
    hitList.textContent = "";
    shown = found; shownCount = 0; currentWhich = which; active = -1;
    root.setAttribute("data-cs-count", String(found.length));
    if (message !== null) { countLine.textContent = message; moreButton.hidden = true; return; }
    var n = found.length;
    countLine.textContent = (partial ? "at least " : "") + n + (n === 1 ? " cable" : " cables");
    more(mine);
  }
  function more(mine) {
    var page = shown.slice(shownCount, shownCount + PAGE);
    shownCount += page.length;
    moreButton.hidden = shownCount >= shown.length;
    meta().then(function (info) {
      return Promise.all(page.map(function (hit) { return docFile(info, hit.doc); }));
    }).then(function (records) {
      if (mine !== generation) return;
      records.forEach(function (record, i) { hitList.appendChild(renderHit(record, page[i], currentWhich)); });
      root.setAttribute("data-cs-ready", String(mine));
    });
  }

  /* ---- keyboard and events ---- */
  var active = -1, timer = 0;
  function links() { return Array.prototype.slice.call(hitList.querySelectorAll("a.cs-hit")); }
  function setActive(index) {
    var all = links();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (a, i) { a.parentNode.setAttribute("aria-selected", String(i === active)); });
    all[active].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  input.addEventListener("focus", function () {
    meta().then(function (info) {
      if (!filtersForm.dataset.filled) { filtersForm.dataset.filled = "1"; fillFilters(info); }
    }).catch(function () {});
    if (input.value.trim()) panel.hidden = false;
  });
  filtersForm.addEventListener("change", run);
  moreButton.addEventListener("click", function () { more(generation); });
  root.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); setActive(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
    else if (event.key === "Escape") { panel.hidden = true; input.blur(); }
    else if (event.key === "Enter" && event.target === input) {
      event.preventDefault();
      var all = links();
      if (all.length) all[Math.max(active, 0)].click();
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target, typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") { event.preventDefault(); input.focus(); input.select(); }
  });
  document.addEventListener("click", function (event) { if (!root.contains(event.target)) panel.hidden = true; });
})();
