#!/usr/bin/env python3
"""Generate stdnum_cases.json: identifier values with python-stdnum's verdicts.

python-stdnum is the project's identifier oracle (../shared/validators/README.md). This script
builds a few hundred values per run, deterministic for a given stdnum version:

* valid values, made by computing the check digits (with stdnum's own `calc_check_digit(s)`
  where it has one, else by trying every possible check character and keeping the one stdnum
  accepts);
* corrupted values: one digit of a valid value changed, one character dropped or added;
* format errors (letters where digits belong, wrong prefixes).

Each case records stdnum's verdict (`valid`), and for valid values stdnum's compact form
(`compact`) and, where stdnum has one, its display form (`format`). The Rust test
`crates/domain/src/identifiers/stdnum_oracle.rs` parses every value with Ensemble's types and
asserts it agrees on all three.

Regenerate, from the repository root:

    python3 -m venv /tmp/ids-venv
    /tmp/ids-venv/bin/pip install python-stdnum==2.2
    /tmp/ids-venv/bin/python crates/domain/src/identifiers/testdata/generate.py

(or use /tmp/validators-venv/bin/python if the validators venv exists), then run
`cargo test -p ensemble-domain stdnum` and commit the JSON file.

Known, deliberate differences kept out of the generated values (each is covered by a Rust
unit test instead):

* NISS: stdnum only tries the "born from 2000" check when the 2-digit year is not after
  today's year; Ensemble never reads the clock and accepts either check. No corrupted NISS
  that passes the 2000 check with a year after today's is emitted.
* NIR: stdnum accepts any first digit; Ensemble only 1, 2 (and 3, 4, 7, 8 for temporary
  numbers). Generated NIRs use those digits.
* French VAT with an old alphanumeric key: stdnum applies an unpublished key algorithm,
  Ensemble checks the format only. Only numeric keys are generated.
* IBAN: stdnum also checks the Spanish, Montenegrin and Norwegian national check digits and
  that a Belgian bank code exists; Ensemble checks the Belgian and French national check
  digits. Generated IBANs use countries where both check the same things and Belgian bank
  codes from stdnum's table.
* VAT numbers of BG, CY, CZ, HU, LT, LV, MT, RO and SK are checked by format only in Ensemble
  and are not compared. `GR`-prefixed numbers (stdnum accepts them, Ensemble asks for EL) and
  XI (Northern Ireland) are not generated.
* BE enterprise number: stdnum's (n + check) mod 97 == 0 also accepts check 00 when the first
  eight digits are a multiple of 97; the official rule gives 97 there. Such values are not
  generated (the chance of hitting one by corruption is tiny and the seed is fixed).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import string
import sys

import stdnum
from stdnum import bic, iban, iso11649, luhn
from stdnum.be import iban as be_iban
from stdnum.be import bis, nn, ogm_vcs
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.fr import nir, siren, siret
from stdnum.iso7064 import mod_97_10

SEED = 20261127
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'stdnum_cases.json')

rng = random.Random(SEED)
cases: list[dict] = []


def digits(n: int) -> str:
    return ''.join(rng.choice(string.digits) for _ in range(n))


def add(kind: str, value: str, is_valid, compact=None, fmt=None) -> None:
    """Record a case with stdnum's verdict, compact and display forms."""
    valid = bool(is_valid(value))
    case = {'kind': kind, 'value': value, 'valid': valid}
    if valid and compact is not None:
        case['compact'] = compact(value)
    if valid and fmt is not None:
        case['format'] = fmt(value)
    cases.append(case)


def change_one_digit(value: str, skip_prefix: int = 0) -> str:
    """Change one digit (after the first `skip_prefix` characters) to another digit."""
    positions = [i for i, c in enumerate(value) if c.isdigit() and i >= skip_prefix]
    i = rng.choice(positions)
    new = rng.choice([d for d in string.digits if d != value[i]])
    return value[:i] + new + value[i + 1:]


def drop_one(value: str, skip_prefix: int = 0) -> str:
    i = rng.randrange(skip_prefix, len(value))
    return value[:i] + value[i + 1:]


def add_one(value: str) -> str:
    i = rng.randrange(len(value) + 1)
    return value[:i] + rng.choice(string.digits) + value[i:]


def spaced(value: str, size: int = 4) -> str:
    return ' '.join(value[i:i + size] for i in range(0, len(value), size))


def corruptions(kind, valid_values, is_valid, skip_prefix=0, compact=None, fmt=None):
    """For each valid value: one digit changed; for some, a character dropped or added."""
    for n, v in enumerate(valid_values):
        add(kind, change_one_digit(v, skip_prefix), is_valid, compact, fmt)
        if n % 3 == 0:
            add(kind, drop_one(v, skip_prefix), is_valid, compact, fmt)
        if n % 3 == 1:
            add(kind, add_one(v), is_valid, compact, fmt)


# --- IBAN ------------------------------------------------------------------------------------

def bban_for(structure: str) -> str:
    out = ''
    for length, kind in iban._struct_re.findall(structure):
        alphabet = {'n': string.digits, 'a': string.ascii_uppercase,
                    'c': string.digits + string.ascii_uppercase}[kind]
        out += ''.join(rng.choice(alphabet) for _ in range(int(length)))
    return out


def rib_key(bban: str) -> str:
    conv = {c: str(v) for c, v in zip('ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                      [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                                       2, 3, 4, 5, 6, 7, 8, 9])}
    account = ''.join(conv.get(c, c) for c in bban[10:21])
    return '%02d' % (97 - (89 * int(bban[:5]) + 15 * int(bban[5:10]) + 3 * int(account)) % 97)


def be_bank_codes() -> list[str]:
    codes = []
    for code in range(0, 1000):
        c = '%03d' % code
        if be_iban.info('BE00' + c + '000000000'):
            codes.append(c)
    return codes


def gen_iban() -> None:
    be_codes = be_bank_codes()
    valid = []
    for cc in ['BE', 'FR', 'DE', 'NL', 'LU', 'IT', 'AT', 'CH', 'GB', 'PT', 'MC', 'IE']:
        structure = iban._ibandb.info(cc + '00')[0][1]['bban']
        for _ in range(8):
            bban = bban_for(structure)
            if cc == 'BE':
                body = rng.choice(be_codes) + digits(7)
                bban = body + '%02d' % (int(body) % 97 or 97)
            if cc in ('FR', 'MC'):
                bban = bban[:21] + rib_key(bban)
            number = cc + iban.calc_check_digits(cc + '00' + bban) + bban
            valid.append(number)
    valid.append('BE71096123456769')  # EPC/ECBS example
    valid.append('FR7630006000011234567890189')  # French example
    for n, v in enumerate(valid):
        shown = v
        if n % 4 == 1:
            shown = iban.format(v)
        elif n % 4 == 2:
            shown = iban.format(v).lower()
        add('iban', shown, iban.is_valid, iban.compact, iban.format)
    corruptions('iban', valid, iban.is_valid, skip_prefix=2, compact=iban.compact,
                fmt=iban.format)
    for v in ['ZZ71096123456769', '71BE096123456769', 'BE71 0961 2345 67_9', 'BE', 'BE71']:
        add('iban', v, iban.is_valid)


# --- BIC -------------------------------------------------------------------------------------

def gen_bic() -> None:
    countries = sorted(bic._country_codes)
    alnum = string.ascii_uppercase + string.digits
    for n in range(40):
        bank = ''.join(rng.choice(string.ascii_uppercase) for _ in range(4))
        loc = ''.join(rng.choice(alnum) for _ in range(2))
        value = bank + rng.choice(countries) + loc
        if n % 2:
            value += ''.join(rng.choice(alnum) for _ in range(3))
        shown = value.lower() if n % 5 == 0 else value
        add('bic', shown, bic.is_valid, bic.compact)
        # Broken: a digit in the bank code, a wrong length, an unknown country.
        if n % 4 == 0:
            add('bic', value[:2] + '1' + value[3:], bic.is_valid, bic.compact)
        if n % 4 == 1:
            add('bic', value[:-1], bic.is_valid, bic.compact)
        if n % 4 == 2:
            add('bic', value[:4] + 'ZZ' + value[6:], bic.is_valid, bic.compact)
        if n % 4 == 3:
            add('bic', value[:6] + '_' + value[7:], bic.is_valid, bic.compact)
    for v in ['GKCCBEBB', 'GEBABEBB', 'BNPAFRPPXXX', 'DEUTDEFF500']:
        add('bic', v, bic.is_valid, bic.compact)


# --- VAT -------------------------------------------------------------------------------------

def complete(prefix: str, body: str, position: str, alphabet: str) -> str | None:
    """Put the check character that stdnum accepts at the start or end of body."""
    for c in alphabet:
        candidate = prefix + (c + body if position == 'start' else body + c)
        if eu_vat.is_valid(candidate):
            return candidate
    return None


def vat_values() -> list[str]:
    out = []

    def some(n, make):
        made = 0
        while made < n:
            v = make()
            if v is not None:
                out.append(v)
                made += 1

    def be():
        body = rng.choice('01') + digits(7)
        if body[0] == '0' and body[1] == '0':
            body = '0' + rng.choice('23456789') + body[2:]
        return 'BE' + body + '%02d' % (97 - int(body) % 97)

    def fr():
        s = digits(8)
        s += luhn.calc_check_digit(s)
        return 'FR' + siren.to_tva(s)

    def de():
        return complete('DE', rng.choice('123456789') + digits(7), 'end', string.digits)

    def nl_bsn():
        # The historical numbers: the first nine digits pass the BSN eleven-test.
        for _ in range(100):
            body = digits(8)
            for d in string.digits:
                v = 'NL' + body + d + 'B' + rng.choice(['01', '02', '03', '11'])
                if eu_vat.is_valid(v):
                    return v
        return None

    def nl_mod97():
        # Numbers issued since 2020: MOD 97-10 over NL + number, check in the last two digits.
        body = 'NL' + digits(9) + 'B'
        for d in range(100):
            v = body + '%02d' % d
            if d and mod_97_10.is_valid(v):
                return v
        return None

    def lu():
        b = digits(6)
        return 'LU' + b + '%02d' % (int(b) % 89)

    def it():
        office = rng.choice(['001', '015', '058', '100', '120', '888'])
        return complete('IT', rng.choice('123456789') + digits(6) + office, 'end', string.digits)

    def es_dni():
        return complete('ES', digits(8), 'end', string.ascii_uppercase)

    def es_nie():
        return complete('ES', rng.choice('XYZ') + digits(7), 'end', string.ascii_uppercase)

    def es_cif():
        return complete('ES', rng.choice('ABCDEFGHJNPQRSUVW') + digits(7), 'end',
                        string.digits + string.ascii_uppercase)

    def es_klm():
        return complete('ES', rng.choice('KLM') + digits(7), 'end', string.ascii_uppercase)

    def at():
        return complete('ATU', digits(7), 'end', string.digits)

    def pt():
        return complete('PT', rng.choice('1235689') + digits(7), 'end', string.digits)

    def ie_new():
        second = rng.choice(['', '', 'A', 'H', 'W'])
        body = digits(7)
        for c in 'WABCDEFGHIJKLMNOPQRSTUV':
            v = 'IE' + body + c + second
            if eu_vat.is_valid(v):
                return v
        return None

    def ie_old():
        return complete('IE', rng.choice('123456789') + rng.choice(string.ascii_uppercase) +
                        digits(5), 'end', 'WABCDEFGHIJKLMNOPQRSTUV')

    def dk():
        return complete('DK', rng.choice('123456789') + digits(6), 'end', string.digits)

    def pl():
        return complete('PL', digits(9), 'end', string.digits)

    def se():
        b = digits(9)
        return 'SE' + b + luhn.calc_check_digit(b) + '01'

    def fi():
        return complete('FI', digits(7), 'end', string.digits)

    def el():
        return complete('EL', digits(8), 'end', string.digits)

    def hr():
        return complete('HR', digits(10), 'end', string.digits)

    def ee():
        return complete('EE', '10' + digits(6), 'end', string.digits)

    def si():
        return complete('SI', rng.choice('123456789') + digits(6), 'end', string.digits)

    for n, make in [(12, be), (12, fr), (8, de), (5, nl_bsn), (5, nl_mod97), (6, lu), (8, it),
                    (3, es_dni), (3, es_nie), (4, es_cif), (2, es_klm), (8, at), (6, pt),
                    (4, ie_new), (2, ie_old), (6, dk), (6, pl), (6, se), (6, fi), (6, el),
                    (6, hr), (6, ee), (6, si)]:
        some(n, make)
    # Documented examples.
    out += ['BE0403170701', 'FR40303265045', 'FR44732829320', 'DE136695976', 'NL004495445B01',
            'NL000099998B57', 'ATU13585627', 'ESA13585625', 'IT00743110157']
    return out


def gen_vat() -> None:
    valid = vat_values()
    for n, v in enumerate(valid):
        shown = v
        if n % 5 == 1:
            shown = v[:2] + ' ' + spaced(v[2:], 3)
        elif n % 5 == 2:
            shown = v.lower()
        add('vat', shown, eu_vat.is_valid, eu_vat.compact)
    corruptions('vat', valid, eu_vat.is_valid, skip_prefix=2, compact=eu_vat.compact)
    for v in ['BE2403170701', 'BE040317070A', 'FRI7399859412', 'DE036695976', 'NL004495445X01',
              'NL004495445B00', 'ITA0743110157', 'IT00743110', 'ATX13585627', 'ES1234567',
              'PT001964843', 'SE123456789702', 'XX123456789']:
        add('vat', v, eu_vat.is_valid, eu_vat.compact)


# --- France ----------------------------------------------------------------------------------

def gen_siren_siret() -> None:
    sirens = []
    for _ in range(30):
        s = digits(8)
        sirens.append(s + luhn.calc_check_digit(s))
    sirens.append('732829320')
    for n, s in enumerate(sirens):
        add('siren', siren.format(s) if n % 3 == 1 else s, siren.is_valid, siren.compact,
            siren.format)
    corruptions('siren', sirens, siren.is_valid, compact=siren.compact, fmt=siren.format)
    add('siren', '73282932A', siren.is_valid)

    sirets = []
    for s in sirens[:25]:
        body = s + digits(4)
        sirets.append(body + luhn.calc_check_digit(body))
    # La Poste establishments: digit sum divisible by 5, Luhn not required.
    for _ in range(8):
        body = '356000000' + digits(4)
        for d in string.digits:
            if sum(map(int, body + d)) % 5 == 0 and not luhn.is_valid(body + d):
                sirets.append(body + d)
                break
    sirets += ['35600000000048', '73282932000074']
    for n, s in enumerate(sirets):
        add('siret', siret.format(s) if n % 3 == 1 else s, siret.is_valid, siret.compact,
            siret.format)
    corruptions('siret', sirets, siret.is_valid, compact=siret.compact, fmt=siret.format)
    # A Luhn-valid SIRET whose SIREN part is not.
    for _ in range(3):
        body = digits(13)
        s = body + luhn.calc_check_digit(body)
        add('siret', s, siret.is_valid, siret.compact, siret.format)


def gen_nir() -> None:
    valid = []
    for n in range(40):
        sex = rng.choice('12121278' if n % 5 else '34')
        yy = digits(2)
        mm = rng.choice(['%02d' % m for m in range(1, 13)] + ['20', '35', '50'])
        dept = rng.choice(['75', '59', '13', '2A', '2B', '99', '97', '01', '95'])
        if dept == '97':
            commune = rng.choice('12345') + digits(2)
        else:
            commune = digits(3)
        body = sex + yy + mm + dept + commune + digits(3)
        valid.append(body + nir.calc_check_digits(body))
    valid.append('184127645108946')
    for n, v in enumerate(valid):
        shown = v
        if n % 3 == 1:
            shown = nir.format(v)
        elif n % 3 == 2:
            shown = v.lower()
        add('nir', shown, nir.is_valid, nir.compact, nir.format)
    corruptions('nir', valid, nir.is_valid, compact=nir.compact, fmt=nir.format)
    for v in ['184127645108946'.replace('76', '2C'), '5841276451089xx']:
        add('nir', v, nir.is_valid)


# --- Belgium ---------------------------------------------------------------------------------

def gen_be_enterprise_number() -> None:
    valid = []
    for _ in range(30):
        body = rng.choice('01') + digits(7)
        valid.append(body + '%02d' % (97 - int(body) % 97))
    valid.append('0403170701')
    for n, v in enumerate(valid):
        shown = v
        if n % 3 == 1:
            shown = v[:4] + '.' + v[4:7] + '.' + v[7:]
        elif n % 3 == 2:
            shown = 'BE ' + v
        add('be_enterprise_number', shown, be_vat.is_valid, be_vat.compact)
    corruptions('be_enterprise_number', valid, be_vat.is_valid, compact=be_vat.compact)
    for v in ['2403170701', '04031707AA']:
        add('be_enterprise_number', v, be_vat.is_valid)


def niss_valid(v: str) -> bool:
    return nn.is_valid(v) or bis.is_valid(v)


def gen_niss() -> None:
    this_year = datetime.date.today().year % 100
    valid = []
    for n in range(45):
        from_2000 = n % 3 == 0
        year = rng.randrange(0, min(this_year, 25) + 1) if from_2000 else rng.randrange(20, 100)
        month = rng.randrange(1, 13)
        day = rng.randrange(1, 29)
        if n % 9 == 4:
            month += 20  # BIS, sex unknown
        elif n % 9 == 5:
            month += 40  # BIS, sex known
        elif n % 9 == 7:
            month = 0  # month unknown
        body = '%02d%02d%02d%s' % (year, month, day, digits(3))
        key = 97 - int(('2' if from_2000 else '') + body) % 97
        valid.append(body + '%02d' % key)
    for n, v in enumerate(valid):
        add('niss', nn.format(v) if n % 2 else v, niss_valid, nn.compact, nn.format)
    for n, v in enumerate(valid):
        for bad in [change_one_digit(v)] + ([drop_one(v)] if n % 3 == 0 else []):
            yy = bad[:2]
            if bad.isdigit() and len(bad) == 11 and int(yy) > this_year and \
                    97 - int('2' + bad[:9]) % 97 == int(bad[9:]):
                continue  # see the module docstring: stdnum reads the clock here
            add('niss', bad, niss_valid, nn.compact, nn.format)
    for v in ['85133003328', '85350000000', '8507300332']:
        add('niss', v, niss_valid)


def gen_ogm() -> None:
    valid = []
    for _ in range(40):
        ref = digits(10)
        valid.append(ref + ogm_vcs.calc_check_digits(ref))
    valid += ['010806817183', '202600004236', '000000009797']

    def display(v):
        return '+++' + ogm_vcs.format(v) + '+++'

    for n, v in enumerate(valid):
        add('be_structured_communication', display(v) if n % 2 else v, ogm_vcs.is_valid,
            ogm_vcs.compact, display)
    corruptions('be_structured_communication', valid, ogm_vcs.is_valid,
                compact=ogm_vcs.compact, fmt=display)


def gen_rf() -> None:
    alnum = string.ascii_uppercase + string.digits
    valid = []
    for n in range(40):
        length = rng.randrange(1, 22)
        ref = ''.join(rng.choice(string.digits if n % 2 else alnum) for _ in range(length))
        valid.append('RF' + mod_97_10.calc_check_digits(ref + 'RF') + ref)
    valid.append('RF18539007547034')
    for n, v in enumerate(valid):
        shown = v
        if n % 3 == 1:
            shown = iso11649.format(v)
        elif n % 3 == 2:
            shown = v.lower()
        add('rf', shown, iso11649.is_valid, iso11649.compact, iso11649.format)
    corruptions('rf', valid, iso11649.is_valid, skip_prefix=2, compact=iso11649.compact,
                fmt=iso11649.format)
    for v in ['RF18', 'XX18539007547034', 'RF18' + '1' * 22]:
        add('rf', v, iso11649.is_valid)


def main() -> None:
    gen_iban()
    gen_bic()
    gen_vat()
    gen_siren_siret()
    gen_nir()
    gen_be_enterprise_number()
    gen_niss()
    gen_ogm()
    gen_rf()
    # One case per line, so that a regeneration diffs readably.
    lines = [json.dumps(c, ensure_ascii=False, sort_keys=True) for c in cases]
    header = {
        'generator': 'crates/domain/src/identifiers/testdata/generate.py',
        'stdnum_version': stdnum.__version__,
        'seed': SEED,
        'python': '%d.%d' % sys.version_info[:2],
    }
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('{\n')
        for key, value in header.items():
            f.write('  %s: %s,\n' % (json.dumps(key), json.dumps(value)))
        f.write('  "cases": [\n    ')
        f.write(',\n    '.join(lines))
        f.write('\n  ]\n}\n')
    counts: dict[str, list[int]] = {}
    for c in cases:
        counts.setdefault(c['kind'], [0, 0])[0 if c['valid'] else 1] += 1
    for kind, (good, bad) in counts.items():
        print('%-28s %4d valid %4d invalid' % (kind, good, bad))
    print('%d cases written to %s' % (len(cases), OUT))


if __name__ == '__main__':
    main()
