/* The search engine of cablesite: reads the fragmented index that `cablesite build` writes to
 * search/ (format in generator/search/encode.py, terms in generator/search/analysis.py) and
 * answers queries with doc -> score maps. Loaded by search.js on first use, with stemmer.js;
 * it touches no page element (search.js shows the results).
 *
 * A query fetches meta.json.gz once, one ~8 KB term shard per word (the stem's entry sorts next
 * to the word, so usually the same shard) and the hit files of the hits shown. */
(function () {
  "use strict";

  var MAX_EXPANSIONS = 16;  // terms a word being typed stands for
  var PREFIX_SHARDS = 3;  // shards a word being typed may span
  var EXACT = 0.5;  // weight of the form typed, on top of its stem's (exact forms rank first)
  var COMPLETION = 0.6;  // weight of a term the word being typed begins, of another stem
  var HEAD = 0.5;  // bonus of a word in the subject, id, TAGS or names filed under (slot 0): what a cable is about
  var STEM_MARK = " ";  // ends a stem's entry (generator/search/analysis.py)
  var FACETS = ["origin", "classification", "country", "topic"];
  var PARAMS = ["from", "to"].concat(FACETS);
  var STOP = new Set(("a an and are as at be but by did do does for from had has have he her his how if in into is it " +
    "its me my no not of on or our she so than that the their them then there these they this those to was we were what " +
    "when where which who whom why will with would you your").split(" "));
  /* A question ("what did Sarkozy say in Saudi Arabia") asks what someone said; the cable reports it
   * in its own words (stated, told, argued), so its verb of saying is optional there, as stop words
   * are. Elsewhere ("Sarkozy said") it is a word like any other. */
  var QUESTION = new Set("how what when where which who whom whose why".split(" "));
  var SAYING = new Set("say says said saying tell tells told telling".split(" "));

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
  var base = null, assets = null;  // set by csSearchEngine
  var cache = new Map();
  var decoder = new TextDecoder();
  function gunzip(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes); // the host unpacked it
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function load(path, kind) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, base)).then(function (response) {
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
        script.src = new URL("stemmer.js", assets).href;
        script.onload = function () { stemOf = window.csStem; resolve(); };
        script.onerror = function () { stemmer = null; reject(new Error("search: stemmer.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return stemmer;
  }
  /* meta.json.gz and the stemmer: what every query needs first. */
  function engine() {
    return Promise.all([load("meta.json.gz", "json"), loadStemmer()]).then(function (parts) { return parts[0]; });
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
      hits.forEach(function (value) { value.score += value.group + (value.slot === 0 ? HEAD * weight : 0); });
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
    var question = QUESTION.has(tokenize(text)[0]);
    var required = clauses.filter(function (clause) {
      return !clause.every(function (alt) {
        return !alt.phrase && !alt.exact && (STOP.has(alt.words[0]) || (question && SAYING.has(alt.words[0])));
      });
    });
    return { clauses: required.length ? required : clauses, excluded: excluded,
             phrases: clauses.some(function (c) { return c.some(function (a) { return a.phrase; }); }) };
  }
  /* The hits of one alternative: a word, or a phrase (its words, exact forms; checked later).
   * A phrase's hit also says from which slot on its text can hold it (`phrase`): its words'
   * first slots are where each first is, and the phrase is where all are. */
  function altHits(info, alt) {
    if (!alt.phrase) return wordHits(info, alt.words[0], alt.exact, alt.prefix);
    var words = alt.words.filter(function (w) { return !STOP.has(w); });
    return Promise.all((words.length ? words : alt.words).map(function (w) { return wordHits(info, w, true, false); }))
      .then(function (parts) {
        var result = intersect(parts);
        result.hits.forEach(function (value) { value.phrase = value.last === undefined ? value.slot : value.last; });
        return result;
      });
  }
  function phraseSlot(value) { return value.phrase === undefined ? Infinity : value.phrase; }
  /* Hits in every part: `slot` the first slot of any word, `last` the last of the words' first
   * slots, `phrase` the first slot a phrase among them can be in. */
  function intersect(parts) {
    var result = parts[0];
    parts.slice(1).forEach(function (part) {
      var joined = new Map();
      result.hits.forEach(function (value, doc) {
        var other = part.hits.get(doc);
        if (other) {
          joined.set(doc, { score: value.score + other.score, slot: Math.min(value.slot, other.slot),
                            last: Math.max(value.last === undefined ? value.slot : value.last, other.slot),
                            phrase: Math.min(phraseSlot(value), phraseSlot(other)) });
        }
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
        if (!seen || seen.score < value.score) {
          hits.set(doc, Object.assign({}, value, { phrase: Math.min(phraseSlot(value), seen ? phraseSlot(seen) : Infinity) }));
        } else {
          seen.phrase = Math.min(phraseSlot(seen), phraseSlot(value));
        }
      });
    });
    return { hits: hits, partial: partial };
  }
  /* doc -> {score, slot, phrase} for the whole query; `verify` when hit files must be read to be
   * sure (a phrase, or an excluded word whose list the index cut), `verifyAll` when all of a
   * cable's text must be read (an excluded phrase, or an excluded word whose list the index cut). */
  function match(info, query) {
    return Promise.all([
      Promise.all(query.clauses.map(function (clause) {
        return Promise.all(clause.map(function (alt) { return altHits(info, alt); })).then(union);
      })),
      Promise.all(query.excluded.map(function (alt) { return alt.phrase ? null : altHits(info, alt); }))
    ]).then(function (parts) {
      var result = intersect(parts[0]), verify = query.phrases, all = false, loose = false;
      if (!result.hits.size && result.partial && parts[0].length > 1) {
        result = anyClause(parts[0]);
        verify = loose = true;
      }
      parts[1].forEach(function (gone, i) {
        if (!gone || gone.partial) { verify = all = true; }
        if (gone) gone.hits.forEach(function (value, doc) { result.hits.delete(doc); });
      });
      return { hits: result.hits, partial: result.partial, verify: verify, verifyAll: all, loose: loose };
    });
  }
  /* Words in many cables keep only their best cables in the index (generator/search/index.py's
   * cap), so the lists of common words can have no cable in common even where cables hold them
   * all ("human rights Mexico army" at 251,287 cables): a silent miss. Then the candidates are the
   * cables in any word's list, those in most lists first, and each is checked in its text for
   * every word (`verifier(query, true)`). */
  function anyClause(parts) {
    var hits = new Map();
    parts.forEach(function (part) {
      part.hits.forEach(function (value, doc) {
        var seen = hits.get(doc);
        if (!seen) hits.set(doc, seen = { score: 0, slot: value.slot, lists: 0, phrase: Infinity });
        seen.score += value.score;
        seen.lists++;
        seen.slot = Math.min(seen.slot, value.slot);
        seen.phrase = Math.min(seen.phrase, phraseSlot(value));
      });
    });
    hits.forEach(function (value) { value.score *= value.lists; });
    return { hits: hits, partial: true };
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
   * within one paragraph or the subject, and no excluded word or phrase; with `words` (the
   * candidates of `anyClause`), each clause's word too. */
  function verifier(query, words) {
    return function (record) {
      // With `words`, the post too (slot 0 of the index holds its name; topic and country names,
      // which it also holds, are not in the hit file: a cable found only by them fails the check).
      var head = record.s + " " + record.i + (words ? " " + record.o : "");
      var texts = [tokenize(head)].concat(record.p.map(function (p) { return tokenize(p[1]); }));
      function holds(alt) {
        if (alt.phrase) return texts.some(function (tokens) { return hasRun(tokens, alt.words); });
        var test = altMatches(alt);
        return texts.some(function (tokens) { return tokens.some(test); });
      }
      return query.clauses.every(function (clause) {
        return clause.some(function (alt) { return (!alt.phrase && !words) || holds(alt); });
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
  /* ---- hit files, in parts (generator/search/hitfiles.py) ---- */
  /* Part 0 of a cable's hit file: its card and first paragraphs (all of a short cable's). */
  function docFile(info, doc, part) {
    return load("d/" + Math.floor(doc / info.folder) + "/" + doc + (part ? "-" + part : "") + ".json.gz", "json");
  }
  /* The part holding paragraph `index` (0-based; -1, the head, is in part 0). */
  function partOf(starts, index) {
    var part = 0;
    while (part < starts.length && starts[part] <= index) part++;
    return part;
  }
  /* A hit's record: part 0 of its hit file and the parts this use needs, in one record whose `p`
   * holds the paragraphs read at their places (a sparse array: forEach and some skip the rest).
   * Shown, a hit needs the part of its slot's paragraph. `check` ({test, all}: a verifier, and
   * whether all the text is needed) is applied on the way: a phrase is looked for from the part
   * its words' first slots allow on, stopping at the first part that holds it; the promise
   * gives null for a hit that fails it. */
  function hitRecord(info, hit, check) {
    return docFile(info, hit.doc).then(function (head) {
      var starts = head.k || [], record = Object.assign({}, head, { p: head.p.slice() }), read = [true];
      function part(n) {
        if (read[n]) return Promise.resolve();
        read[n] = true;
        return docFile(info, hit.doc, n).then(function (data) {
          data.p.forEach(function (paragraph, j) { record.p[starts[n - 1] + j] = paragraph; });
        });
      }
      var shown = part(partOf(starts, hit.slot - 1));
      if (!check) return shown.then(function () { return record; });
      if (check.all) {
        return Promise.all([shown].concat(starts.map(function (s, i) { return part(i + 1); }))).then(function () {
          return check.test(record) ? record : null;
        });
      }
      function from(n) {
        return part(n).then(function () {
          if (check.test(record)) return record;
          return n < starts.length ? from(n + 1) : null;
        });
      }
      var bound = hit.phrase === undefined || hit.phrase === Infinity ? 0 : hit.phrase;
      return shown.then(function () { return check.test(record) ? record : from(partOf(starts, bound - 1)); });
    });
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


  /* The engine over the index at `indexUrl`; `assetsUrl` is where stemmer.js is. */
  window.csSearchEngine = function (indexUrl, assetsUrl) {
    base = indexUrl;
    assets = assetsUrl;
    return { ready: engine, parseQuery: parseQuery, match: match, matcher: matcher, verifier: verifier,
             activeFilters: activeFilters, filterLabels: filterLabels, docFile: docFile, hitRecord: hitRecord,
             nearSpellings: nearSpellings, tokenize: tokenize, fold: fold, FACETS: FACETS, PARAMS: PARAMS };
  };
})();
