#!/usr/bin/env python3
"""The peer figure for Ensemble's payroll benchmark: OpenFisca-France computing the same kind of
French payslips, vectorised, on the same machine.

Builds N cases spread like `benches/payslips.rs` (every month of 2025 and 2026, cadre and
non-cadre, CDI and CDD, full and part time, headcounts 5/20/300/5000, gross from the SMIC to
5 PSS), groups them by month, runs one vectorised simulation per month and reads the payslip
variables a payslip needs (the employee and employer lines, CSG/CRDS, the reduction, net,
taxable, cost). Reports the time of the computation alone, after the tax-benefit system is
loaded, in microseconds per payslip.

  /tmp/openfisca-venv/bin/python crates/payroll/benches/openfisca_bench.py [N]
"""
import sys
import time

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france import FranceTaxBenefitSystem

VARIABLES = [
    'mmid_employeur_net_allegement', 'famille_net_allegement', 'accident_du_travail',
    'vieillesse_plafonnee_salarie', 'vieillesse_plafonnee_employeur',
    'vieillesse_deplafonnee_salarie', 'vieillesse_deplafonnee_employeur',
    'agirc_arrco_salarie', 'agirc_arrco_employeur',
    'contribution_equilibre_general_salarie', 'contribution_equilibre_general_employeur',
    'contribution_equilibre_technique_salarie', 'contribution_equilibre_technique_employeur',
    'apec_salarie', 'apec_employeur', 'chomage_employeur', 'ags', 'contribution_solidarite_autonomie',
    'fnal', 'contribution_formation_professionnelle', 'taxe_apprentissage',
    'contribution_supplementaire_apprentissage', 'financement_organisations_syndicales',
    'participation_effort_construction', 'prevoyance_obligatoire_cadre', 'forfait_social',
    'conge_individuel_formation_cdd', 'csg_deductible_salaire', 'csg_imposable_salaire', 'crds_salaire',
    'allegement_general', 'salaire_net', 'salaire_imposable', 'cotisations_employeur', 'cout_du_travail',
]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    tbs = FranceTaxBenefitSystem()
    t1 = time.perf_counter()
    months = ['%d-%02d' % (2025 + k // 12, 1 + k % 12) for k in range(24)]
    i = np.arange(n)
    month_of = i % 24
    full = (1880 + (i * 7919 % 1000) * 180.0)
    part_time = i % 5 == 0
    gross = np.where(part_time, full * 2 / 3, full)
    cadre = i % 2 == 1
    cdd = i % 3 != 0
    headcount = np.array([5, 20, 300, 5000])[i % 4]
    computed = 0
    compute_time = 0.0
    for k, month in enumerate(months):
        sel = month_of == k
        m = int(sel.sum())
        start = time.perf_counter()
        sim = SimulationBuilder().build_default_simulation(tbs, m)
        sim.set_input('salaire_de_base', month, gross[sel])
        sim.set_input('categorie_salarie', month, np.where(cadre[sel], 'prive_cadre', 'prive_non_cadre'))
        sim.set_input('contrat_de_travail_type', month, np.where(cdd[sel], 'cdd', 'cdi'))
        sim.set_input('indemnite_fin_contrat_due', month, cdd[sel])
        sim.set_input('effectif_entreprise', month, headcount[sel])
        sim.set_input('contrat_de_travail', month, np.where(part_time[sel], 'temps_partiel', 'temps_plein'))
        sim.set_input('heures_remunerees_volume', month, np.where(part_time[sel], 101.12, 0.0))
        sim.set_input('allegement_general_mode_recouvrement', month, np.array(['anticipe'] * m))
        for var in VARIABLES:
            try:
                sim.calculate(var, month)
            except ValueError:
                sim.calculate_add(var, month)
        compute_time += time.perf_counter() - start
        computed += m
    print('OpenFisca-France: load %.1f s; %d payslips in %.2f s = %.1f µs per payslip (vectorised, one simulation per month)'
          % (t1 - t0, computed, compute_time, compute_time / computed * 1e6))


if __name__ == '__main__':
    main()
