#!/usr/bin/env python3
"""The house's floors, checked (issue 16; ARCHITECTURE.md draws them).

cli -> stages -> pipeline, nothing points up; inside pipeline/ and stages/ a
folder includes only itself and the folders it is allowed to build on. And
the archive store is the only door to archive files: no code outside the
store implementations joins the archive folder with a bag or with a path the
ledger recorded. Exits 1 naming every line that breaks a rule.
"""
import os
import re
import sys

# folder -> the folders its files may include (besides itself).
ALLOWED = {
    'pipeline/core': set(),
    'pipeline/graph': {'pipeline/core'},
    'pipeline/ledger': {'pipeline/core'},
    'pipeline/archive': {'pipeline/core', 'pipeline/ledger'},
    'pipeline/inventory': {'pipeline/core', 'pipeline/ledger'},
    'pipeline/report': {'pipeline/core', 'pipeline/ledger', 'pipeline/archive', 'pipeline/inventory'},
    'pipeline/review': {'pipeline/core', 'pipeline/ledger', 'pipeline/archive'},
    'pipeline/run': {'pipeline/core', 'pipeline/graph', 'pipeline/ledger', 'pipeline/archive',
                     'pipeline/inventory', 'pipeline/report'},
}
PIPELINE = set(ALLOWED)
ALLOWED.update({
    'stages/page': {'pipeline/core'},
    'stages/decode': {'pipeline/core', 'stages/page'},
    'stages/pdf': {'pipeline/core'},
    'stages/fields': {'pipeline/core', 'stages/pdf'},
    # The revision a review adds to a signed PDF speaks the review's types,
    # and an extract's signed cover the extract's (issue 22).
    'stages/signing': {'pipeline/core', 'pipeline/review', 'pipeline/report', 'stages/pdf'},
    'stages/book': {'pipeline/core', 'stages/page'},
})
STAGES = set(ALLOWED) - PIPELINE
ALLOWED['cli'] = PIPELINE | STAGES | {'cli/review'}
ALLOWED['cli/review'] = PIPELINE | STAGES | {'cli'}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# Ways of reaching an archive file on the disk instead of through the store.
STORE_IMPLEMENTATIONS = {'pipeline/archive/archive_store.cc', 'pipeline/archive/memory_store.cc'}
AROUND_THE_STORE = [
    re.compile(r'archive\w*\s*\+\s*"/"\s*\+\s*(std::string\()?kBagsDir'),  # root + "/" + kBagsDir
    re.compile(r'/\s*kBagsDir\b'),                                             # fs::path(root) / kBagsDir
    re.compile(r'archive\w*\s*\+\s*"/bags'),                                     # root + "/bags/..."
    re.compile(r'archive\w*\)?\s*/\s*"bags"'),                                    # root / "bags"
    # root + "/" + record.pdf: a path the ledger recorded, opened on the disk
    re.compile(r'archive\w*\s*\+\s*"/"\s*\+\s*[\w().*>\[\]-]*(->|\.)(pdf|text)\b'),
]


def folder_of(path):
    return os.path.dirname(path)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = []
    for top in ('pipeline', 'stages', 'cli'):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith(('.h', '.cc')):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                here = folder_of(rel)
                if here not in ALLOWED:
                    problems.append(f'{rel}: folder {here} has no place in the layering')
                    continue
                with open(os.path.join(root, rel), encoding='utf-8') as f:
                    text = f.read()
                if rel not in STORE_IMPLEMENTATIONS:
                    for number, line in enumerate(text.splitlines(), 1):
                        if any(p.search(line) for p in AROUND_THE_STORE):
                            problems.append(f'{rel}:{number}: reaches an archive file around the store: {line.strip()}')
                for target in INCLUDE.findall(text):
                    there = folder_of(target)
                    if there == here or there not in ALLOWED and not target.startswith(('pipeline/', 'stages/', 'cli/')):
                        continue  # itself, or a generated header (build_paths.h)
                    if there not in ALLOWED[here]:
                        problems.append(f'{rel}: includes {target} ({here} may not build on {there})')
    for p in problems:
        print(p)
    print(f'check_layers: {len(problems)} line(s) against the layering or the store rule')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
