#!/usr/bin/env python3
"""Writes N payroll cases as JSON Lines for `ensemble payroll simulate --batch` benchmarks.

usage: scripts/batch-cases.py N [fr|be|mixed] > cases.jsonl
Deterministic: the same N gives the same file.
"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
mix = sys.argv[2] if len(sys.argv) > 2 else 'mixed'
out = sys.stdout
for i in range(n):
    country = 'fr' if mix == 'fr' or (mix == 'mixed' and i % 2 == 0) else 'be'
    if country == 'fr':
        month = '%d-%02d' % (2025 + (i // 12) % 2, 1 + i % 12)
        case = {'id': i, 'country': 'fr', 'month': month,
                'gross': '%.2f' % (1880 + (i * 7919 % 1000) * 18.0),
                'status': 'cadre' if i % 3 == 0 else 'non-cadre',
                'contract': ('cdi', 'cdd', 'cdd-usage')[i % 3],
                'headcount': (5, 20, 300, 5000)[i % 4]}
        if i % 5 == 0:
            case['hours'] = '104.00'
            case['gross'] = '%.2f' % (1300 + (i * 7919 % 1000) * 9.0)
    else:
        month = '2026-%02d' % (1 + i % 12)
        if i % 4 == 1:
            case = {'id': i, 'country': 'be', 'month': month, 'contract': 'daily', 'days': 1 + i % 5,
                    'gross': '%.2f' % ((1 + i % 5) * (140 + i % 300)), 'status': ('employee', 'worker', 'artist')[i % 3]}
        else:
            case = {'id': i, 'country': 'be', 'month': month, 'gross': '%.2f' % (2300 + (i * 7919 % 1000) * 7.0),
                    'status': ('employee', 'worker', 'artist')[i % 3], 'children': i % 3}
    out.write(json.dumps(case, separators=(',', ':')))
    out.write('\n')
