#!/usr/bin/env python3
"""Golden French payslips from OpenFisca-France, for Ensemble's payroll tests.

Writes `fr_openfisca.json` beside this script: a few hundred cases over 2025 and 2026 (cadre and
non-cadre, CDI and CDD, full and part time, headcounts 5 / 20 / 300 / 5000, gross from the SMIC
to 5 PSS, some under the Alsace-Moselle scheme), each with OpenFisca's amount for every line of
an Ensemble payslip and the payslip totals.

OpenFisca-France 176.1.8 departs from the law in three places (see docs/DESIGN.md):
  - AGS is 0.25 % since 2024-07-01; OpenFisca says 0.20 %;
  - Alsace-Moselle employee health is 1.30 % since 2022-04-01; OpenFisca says 1.50 %;
  - in February it prorates the social security ceiling by 28/30 days for a full month.
For the first two the fixture keeps OpenFisca's amount and adds the law's amount with the reason
and the source (`divergences`), and adjusts the totals those lines move; the test compares
Ensemble with the law's amount. For the third the generator gives OpenFisca the law's ceiling as
an input and records it as a divergence too.

OpenFisca computes in float32 and does not round; amounts are kept to 4 decimals here.

Run (once, outside the repository's own build; needs PyPI):
  python3 -m venv /tmp/openfisca-venv
  /tmp/openfisca-venv/bin/pip install openfisca-france==176.1.8 openfisca-core==44.7.1
  /tmp/openfisca-venv/bin/python crates/payroll/tests/golden/generate_fr.py
"""
import json
import os
from collections import OrderedDict

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france import FranceTaxBenefitSystem

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'fr_openfisca.json')

AGS_LAW = 0.0025
AGS_SOURCE = ('AGS board: 0.25 % from 2024-07-01, kept in 2025 and 2026; OpenFisca-France 176.1.8 still has 0.20 %. '
              'https://open.lefebvre-dalloz.fr/actualites/droit-social/taux-cotisation-ags-maintenu-0-25-1er-janvier-2026_f688643d0-59a8-4cdd-804a-cacb1698e8fd')
AM_LAW = 0.013
AM_SOURCE = ('Alsace-Moselle local scheme: employee health 1.30 % since 2022-04-01; OpenFisca-France 176.1.8 still has 1.50 %. '
             'https://www.francebleu.fr/infos/faits-divers-justice/baisse-de-la-cotisation-pour-les-beneficiaires-de-l-assurance-maladie-d-alsace-moselle-au-1er-avril-1648734032')

MONTHS = ['2025-01', '2025-02', '2025-05', '2025-08', '2025-11', '2025-12',
          '2026-01', '2026-02', '2026-05', '2026-06', '2026-09', '2026-12']
HEADCOUNTS = [5, 20, 300, 5000]
PART_TIME_HOURS = 104.0


def smic_hourly(month):
    if month < '2026-01':
        return 11.88
    if month < '2026-06':
        return 12.02
    return 12.31


def pss(month):
    return 3925.0 if month < '2026-01' else 4005.0


def law_ceiling(month, case):
    full = pss(month)
    if case['hours']:
        return min(full, round(full * case['hours'] / 151.67, 2))
    return full


FEBRUARY_NOTE = ('February: OpenFisca-France 176.1.8 prorates the social security ceiling by 28/30 for a full month; '
                 'the 30ths apply only to entries and exits during the month (BOSS, Assiette générale, chapitre 6 plafond; '
                 'CSS R242-2). The generator gives OpenFisca the full (or part-time prorated, CSS R242-7) ceiling.')


def gross_levels(month):
    """Monthly full-time gross levels from the SMIC to 5 PSS, around the thresholds that matter."""
    smic = round(smic_hourly(month) * 35 * 52 / 12, 2)
    p = pss(month)
    return [smic, round(smic * 1.1, 2), round(smic * 1.35, 2), round(smic * 1.6, 2) + 7.13,
            2400.0, round(smic * 2.25, 2) - 3.21, round(smic * 2.25, 2) + 4.5, 3100.55,
            round(smic * 3.0, 2) - 11.0, round(smic * 3.3, 2) + 9.9, p - 0.37, p + 123.45,
            6000.0, 7777.77, round(4 * p, 2) + 250.0, round(5 * p, 2)]


def cases():
    out = []
    n = 0
    for month in MONTHS:
        levels = gross_levels(month)
        for cadre in (False, True):
            for contrat in ('cdi', 'cdd'):
                for part_time in (False, True):
                    for headcount in HEADCOUNTS:
                        level = levels[n % len(levels)]
                        n += 1
                        hours = PART_TIME_HOURS if part_time else None
                        gross = round(level * PART_TIME_HOURS / 151.67, 2) if part_time else level
                        smic_month = round(smic_hourly(month) * (PART_TIME_HOURS if part_time else 35 * 52 / 12), 2)
                        gross = max(gross, smic_month)
                        out.append(OrderedDict([
                            ('id', 'fr-%s-%s-%s-%s-%d-%d' % (month, 'cadre' if cadre else 'noncadre', contrat,
                                                              'pt' if part_time else 'ft', headcount, n)),
                            ('month', month), ('gross', gross), ('cadre', cadre), ('contract', contrat),
                            ('hours', hours), ('headcount', headcount), ('alsace_moselle', False),
                        ]))
    # Alsace-Moselle: a few cases per year.
    for month in ('2025-06', '2026-02', '2026-07'):
        for i, (cadre, gross, headcount) in enumerate([(False, 2100.0, 20), (True, 4500.0, 300),
                                                        (False, 3300.0, 5000), (True, 9000.0, 5)]):
            out.append(OrderedDict([
                ('id', 'fr-%s-alsace-moselle-%d' % (month, i)), ('month', month), ('gross', gross),
                ('cadre', cadre), ('contract', 'cdi'), ('hours', None), ('headcount', headcount),
                ('alsace_moselle', True),
            ]))
    return out


# Ensemble line code -> (employee variable, employer variable); None where the side is empty.
LINES = OrderedDict([
    ('fr.end_of_contract', ('indemnite_fin_contrat', None)),
    ('fr.health', (None, 'mmid_employeur_net_allegement')),
    ('fr.health_alsace_moselle', ('mmid_salarie', None)),
    ('fr.executive_cover', (None, 'prevoyance_obligatoire_cadre')),
    ('fr.work_accident', (None, 'accident_du_travail')),
    ('fr.old_age_capped', ('vieillesse_plafonnee_salarie', 'vieillesse_plafonnee_employeur')),
    ('fr.old_age_uncapped', ('vieillesse_deplafonnee_salarie', 'vieillesse_deplafonnee_employeur')),
    # AGIRC-ARRCO and CEG are one variable each in OpenFisca; split below into tranches.
    ('fr.technical_balance', ('contribution_equilibre_technique_salarie', 'contribution_equilibre_technique_employeur')),
    ('fr.apec', ('apec_salarie', 'apec_employeur')),
    ('fr.family', (None, 'famille_net_allegement')),
    ('fr.unemployment', (None, 'chomage_employeur')),
    ('fr.ags', (None, 'ags')),
    ('fr.solidarity_autonomy', (None, 'contribution_solidarite_autonomie')),
    ('fr.housing', (None, 'fnal')),
    ('fr.training', (None, 'contribution_formation_professionnelle')),
    ('fr.apprenticeship_tax', (None, 'taxe_apprentissage')),
    ('fr.apprenticeship_extra', (None, 'contribution_supplementaire_apprentissage')),
    ('fr.social_dialogue', (None, 'financement_organisations_syndicales')),
    ('fr.construction', (None, 'participation_effort_construction')),
    ('fr.mobility', (None, 'versement_transport')),
    ('fr.forfait_social', (None, 'forfait_social')),
    ('fr.fixed_term_training', (None, 'conge_individuel_formation_cdd')),
    ('fr.csg_deductible', ('csg_deductible_salaire', None)),
    ('fr.csg_crds_non_deductible', ('csg_imposable_salaire', None)),
    ('fr.crds', ('crds_salaire', None)),
    ('fr.general_reduction', (None, 'allegement_general')),
])
SPLIT = [('agirc_arrco', 'fr.pension_t1', 'fr.pension_t2'),
         ('contribution_equilibre_general', 'fr.balance_t1', 'fr.balance_t2')]
EXTRA = ['assiette_cotisations_sociales', 'salaire_de_base', 'cotisations_salariales', 'salaire_imposable',
         'salaire_net', 'cotisations_employeur', 'cout_du_travail', 'plafond_securite_sociale',
         'taxe_salaires', 'complementaire_sante_employeur', 'prevoyance_complementaire_employeur',
         'agirc_arrco_salarie', 'agirc_arrco_employeur', 'contribution_equilibre_general_salarie',
         'contribution_equilibre_general_employeur']


def run_month(tbs, month, group):
    sim = SimulationBuilder().build_default_simulation(tbs, len(group))
    col = lambda f, dtype=float: np.array([f(c) for c in group], dtype=dtype)
    sim.set_input('salaire_de_base', month, col(lambda c: c['gross']))
    sim.set_input('categorie_salarie', month, np.array(['prive_cadre' if c['cadre'] else 'prive_non_cadre' for c in group]))
    sim.set_input('contrat_de_travail_type', month, np.array([c['contract'] for c in group]))
    sim.set_input('indemnite_fin_contrat_due', month, col(lambda c: c['contract'] == 'cdd', bool))
    sim.set_input('effectif_entreprise', month, col(lambda c: c['headcount'], int))
    sim.set_input('contrat_de_travail', month, np.array(['temps_partiel' if c['hours'] else 'temps_plein' for c in group]))
    sim.set_input('heures_remunerees_volume', month, col(lambda c: c['hours'] or 0.0))
    sim.set_input('salarie_regime_alsace_moselle', month, col(lambda c: c['alsace_moselle'], bool))
    sim.set_input('allegement_general_mode_recouvrement', month, np.array(['anticipe'] * len(group)))
    if month.endswith('-02'):
        # OpenFisca prorates the ceiling by calendar days (28/30) even for a full month; the
        # 30ths rule is for entries and exits during the month only (BOSS, Assiette générale,
        # plafond, § 790-800). Give OpenFisca the law's ceiling: full, or prorated by the hours
        # of a part-time contract (CSS R242-7).
        sim.set_input('plafond_securite_sociale', month, col(lambda c: law_ceiling(month, c)))

    def calc(var):
        try:
            return sim.calculate(var, month).astype(np.float64)
        except ValueError:
            return sim.calculate_add(var, month).astype(np.float64)

    values = {}
    for code, (emp, er) in LINES.items():
        for var in (emp, er):
            if var and var not in values:
                values[var] = calc(var)
    for var in EXTRA:
        values[var] = calc(var)
    params = tbs.parameters(month + '-01')
    return values, params


def r4(x):
    return round(float(x), 4) + 0.0


def build():
    tbs = FranceTaxBenefitSystem()
    all_cases = cases()
    by_month = OrderedDict()
    for c in all_cases:
        by_month.setdefault(c['month'], []).append(c)
    results = []
    for month, group in by_month.items():
        values, params = run_month(tbs, month, group)
        rc = params.prelevements_sociaux.regimes_complementaires_retraite_secteur_prive
        scales = {
            'agirc_arrco': (rc.agirc_arrco.salarie.agirc_arrco, rc.agirc_arrco.employeur.agirc_arrco),
            'contribution_equilibre_general': (rc.ceg.salarie.ceg, rc.ceg.employeur.ceg),
        }
        for i, case in enumerate(group):
            v = lambda var: float(values[var][i])
            # OpenFisca stores contributions as negative amounts; the employer reduction and the
            # indemnity as positive ones. Ensemble's lines: contributions positive, the reduction
            # negative.
            lines = OrderedDict()
            for code, (emp, er) in LINES.items():
                e = v(emp) if emp else 0.0
                r = v(er) if er else 0.0
                if code == 'fr.general_reduction':
                    r = -r
                elif code != 'fr.end_of_contract':
                    e, r = -e, -r
                if abs(e) > 1e-9 or abs(r) > 1e-9:
                    lines[code] = OrderedDict([('employee', r4(e)), ('employer', r4(r))])
            base = v('assiette_cotisations_sociales')
            ceiling = v('plafond_securite_sociale')
            t1 = min(base, ceiling)
            for var, c1, c2 in SPLIT:
                # OpenFisca computes each scale in one variable, rounded to the cent. A payslip
                # shows one line per tranche: each tranche is OpenFisca's rate on OpenFisca's
                # base and ceiling, and the two must add up to OpenFisca's variable.
                emp_scale, er_scale = scales[var]
                top = emp_scale.thresholds[2] * ceiling
                t2 = max(min(base, top) - ceiling, 0.0)
                emp = (emp_scale.rates[0] * t1, emp_scale.rates[1] * t2)
                er = (er_scale.rates[0] * t1, er_scale.rates[1] * t2)
                assert abs(sum(emp) + v(var + '_salarie')) < 0.011, (case['id'], var, emp, v(var + '_salarie'))
                assert abs(sum(er) + v(var + '_employeur')) < 0.011, (case['id'], var, er, v(var + '_employeur'))
                lines[c1] = OrderedDict([('employee', r4(emp[0])), ('employer', r4(er[0]))])
                if t2 > 0:
                    lines[c2] = OrderedDict([('employee', r4(emp[1])), ('employer', r4(er[1]))])
            employee = -v('cotisations_salariales') + lines['fr.csg_deductible']['employee'] \
                + lines['fr.csg_crds_non_deductible']['employee'] + lines['fr.crds']['employee']
            totals = OrderedDict([
                ('gross', r4(base)),
                ('employee_contributions', r4(employee)),
                ('net_before_tax', r4(v('salaire_net'))),
                ('net_taxable', r4(v('salaire_imposable'))),
                ('employer_contributions', r4(-v('cotisations_employeur'))),
                ('employer_reliefs', r4(v('allegement_general'))),
                ('employer_cost', r4(v('cout_du_travail'))),
            ])
            divergences = []
            if 'fr.ags' in lines:
                upstream = lines['fr.ags']['employer']
                law = r4(min(base, 4 * ceiling) * AGS_LAW)
                divergences.append(OrderedDict([('line', 'fr.ags'), ('side', 'employer'), ('openfisca', upstream),
                                                ('law', law), ('source', AGS_SOURCE)]))
                delta = law - upstream
                lines['fr.ags']['employer'] = law
                totals['employer_contributions'] = r4(totals['employer_contributions'] + delta)
                totals['employer_cost'] = r4(totals['employer_cost'] + delta)
            if case['alsace_moselle'] and 'fr.health_alsace_moselle' in lines:
                upstream = lines['fr.health_alsace_moselle']['employee']
                law = r4(base * AM_LAW)
                divergences.append(OrderedDict([('line', 'fr.health_alsace_moselle'), ('side', 'employee'),
                                                ('openfisca', upstream), ('law', law), ('source', AM_SOURCE)]))
                delta = law - upstream
                lines['fr.health_alsace_moselle']['employee'] = law
                totals['employee_contributions'] = r4(totals['employee_contributions'] + delta)
                totals['net_before_tax'] = r4(totals['net_before_tax'] - delta)
                totals['net_taxable'] = r4(totals['net_taxable'] - delta)
            # Everything OpenFisca counts must map to a line: its totals equal the sums of its
            # detail variables (checked here so that an unmapped variable cannot hide).
            er_sum = sum(l['employer'] for c, l in lines.items() if c != 'fr.general_reduction')
            assert abs(er_sum - totals['employer_contributions']) < 0.03, (case['id'], er_sum, totals)
            em_sum = sum(l['employee'] for c, l in lines.items() if c != 'fr.end_of_contract')
            assert abs(em_sum - totals['employee_contributions']) < 0.03, (case['id'], em_sum, totals)
            if month.endswith('-02'):
                divergences.append(OrderedDict([('line', 'plafond_securite_sociale'), ('side', 'input'),
                                                ('openfisca', r4(pss(month) * 28 / 30 * (case['hours'] / 151.67 if case['hours'] else 1))),
                                                ('law', r4(law_ceiling(month, case))), ('source', FEBRUARY_NOTE)]))
            results.append(OrderedDict([
                ('id', case['id']),
                ('input', OrderedDict([
                    ('month', case['month']), ('gross', '%.2f' % case['gross']),
                    ('status', 'cadre' if case['cadre'] else 'non-cadre'),
                    ('contract', case['contract']),
                    ('hours', None if case['hours'] is None else '%.2f' % case['hours']),
                    ('headcount', case['headcount']), ('alsace_moselle', case['alsace_moselle']),
                ])),
                ('lines', lines),
                ('totals', totals),
                ('divergences', divergences),
            ]))
    import importlib.metadata as md
    return OrderedDict([
        ('meta', OrderedDict([
            ('oracle', 'OpenFisca-France %s, OpenFisca-Core %s' % (md.version('OpenFisca-France'), md.version('OpenFisca-Core'))),
            ('generator', 'crates/payroll/tests/golden/generate_fr.py'),
            ('settings', 'allegement_general_mode_recouvrement = anticipe (the month alone); accident rate: OpenFisca default 0.70 %; '
                         'no versement mobilité; ratio_alternants 0; indemnite_fin_contrat_due for every CDD'),
            ('tolerance', 'each line within 0.01 EUR, each total within 0.10 EUR (OpenFisca computes in float32 and does not round lines)'),
            ('cases', len(results)),
        ])),
        ('cases', results),
    ])


if __name__ == '__main__':
    data = build()
    # One case per line: diffs of a regenerated fixture stay readable.
    with open(OUT, 'w') as f:
        f.write('{"meta": ' + json.dumps(data['meta'], ensure_ascii=False, indent=1) + ',\n"cases": [\n')
        f.write(',\n'.join(json.dumps(c, ensure_ascii=False) for c in data['cases']))
        f.write('\n]}\n')
    print('wrote %d cases to %s' % (len(data['cases']), OUT))
