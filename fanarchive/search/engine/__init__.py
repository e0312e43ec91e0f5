"""The search engine: WorkQuery answered from an in-memory index derived from the database,
with exactly the reference backend's answers (backends/reference.py is the oracle).

Design
------
*What is indexed* (build.py, index.py). Every work (drafts and hidden ones too: visibility is
evaluated per query from flags, so guests and logged-in readers read the same index) is a
row, rows ordered by work id. Per row, numpy columns: flags (posted, hidden_by_admin,
restricted, complete, expected_chapters == 1), word count, published/updated (days),
language code, hits/kudos/comments/bookmarks (a missing stats row is 0), the rank of the
title's and the first creator's sort key, the number of top-level fandoms among its filters
(crossover) and the number of written tags per type (max_*). Tags are dense indexes into a
tag table (all tags at build time, sorted by id). WorkFilter is held twice: as CSR (each
work's filter tags: facets of small result sets) and as CSC/postings (each tag's rows:
include/exclude/any-of, and facets of large result sets); WorkTag likewise (unwrangled tag
matches); creators' user ids sorted with their rows (hide_user_ids). Plain sorted numpy
arrays serve better than roaring bitmaps here: a query turns postings into one boolean mask
over all rows (1 MB at a million works) and every further condition is a vectorised AND, and
facets need per-row access (CSR) which bitmaps do not give.

*Sort orders.* Title and creator keys are the database's own LOWER(...) values, ranked in
UTF-8 byte order (= Python str order), as SQLite BINARY and PostgreSQL "C" compare them;
ranks are spaced (up to 1024 apart) so that changed works' new keys get ranks between the
base's. Every sort becomes one int64 per row, (key << 32) | id, so "ties by id in the same
direction" is free and a page is an argpartition of the matching rows (deep pages included).
Relevance uses the text engine's own rank_sql values for the works the text matched.

*Text.* The text engine narrows: text.match_subqueries (the reference's SQL) gives the ids
the positive terms match and those a negative term matches; the index filters, counts, sorts.

*Facets.* Counts per filter tag of the shown works: one pass over the CSR entries of the
matching rows (kernels.py, compiled with numba, nogil, cached on disk; a numpy gather +
bincount fallback). Measured at 200k works, the numpy alternatives (gather + bincount, or
mask[postings] + reduceat per tag over every posting) cost 2-4x more. Names and types come
from the in-memory tag table (names decoded once per process); facets are ordered like the
reference's (count, casefolded name, id) by a lexsort over a precomputed name rank, and only
fall back to the reference's Python sort when tags were renamed or added since the build.
With a `facet_limit` (listing pages ask for the 50 a type their sidebar shows) only the
entries that can be among the first of each type are sorted and made: those whose count is at
least the limit-th largest of their type.

*On disk* (store.py). `fanarchive search rebuild` (or the first query when there is no index)
builds the arrays and writes them as .npy files to a new folder under
FANARCHIVE_DATA_DIR/search-index/ (setting FANARCHIVE_SEARCH_INDEX_DIR), renamed into place and
named in CURRENT. Every process maps them read-only (np.load(mmap_mode="r")): loading takes
milliseconds and the pages are shared between the server's processes.

*Freshness* (changes.py, state.py). SearchChange rows are written in the same transaction as
every change (receivers of works_changed/works_deleted, tag_filters_changed — logging the
same works the works app refilters —, tags_renamed, and post_save of Work, WorkStats,
WorkTag, WorkFilter, Creatorship, Tag and Pseud). Before answering, a process reads the log
past its position (one indexed query), re-reads the changed works into a small overlay
segment (the base rows of those works are masked out) and refreshes changed tags. Ids that
PostgreSQL handed out but had not committed are looked for again for a minute. A build
records the log position it includes; a bulk change (one row with neither id), an overlay
past 50,000 works or a fifth of the archive, a tag changing type, or a log pruned past the
process's position make the process load the newest build (or build one, one process at a
time under a file lock). Past 5,000 changed works a process publishes a new build from a
background thread (if no other process is building) while it keeps answering from base +
overlay; every process picks it up (CURRENT's mtime is checked before each query).
`fanarchive search rebuild --prune` deletes log rows the build holds. A loaded build whose
log position is still the newest must also have the database's count and largest id of works
(a database replaced under the same name, or filled without a log, e.g. by `demo`).

*Start.* `EngineBackend().warm_up()` maps the index, loads the compiled kernels and decodes
the tag names, so that a server process's first listing is as fast as the others.

*Cache.* Results are kept per (query, logged in, index state) in a small LRU; any change
makes a new state. EngineBackend(cache=False) or FANARCHIVE_SEARCH_CACHE = False turns it off.
"""

from .backend import EngineBackend

__all__ = ["EngineBackend"]
