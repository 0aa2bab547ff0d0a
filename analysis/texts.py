"""texts.py: every fixed text of `sim report` in each language it writes (LANGS), in one
place: the verdict, caveats, budget, scenarios in words and the difference chart
(verdict.py), the detailed sections, table headers and units (report.py), the charts'
titles and axes, what each /series holds among them (charts.py) and the
parameter-uncertainty section (uncertainty_report.py). Keys are the same in every
language (checked on import); a text is a str.format template, a pair (singular,
plural) of a verb, a (label, plural) pair or a table header tuple.
Values from the files (titles, file names, keys, numbers) are filled in, never
translated; num() and decimals() at the end write a number as each language does
(thousands points and a decimal comma in Dutch) for report.py and uncertainty_report.py.
"""
import math
import numbers
import re

LANGS = ("en", "nl")

# ------------------------------------------------------------ the verdict --

_VERDICT = {
    "en": {
        "compared_with": "{alt} compared with {base}",
        "verdict": "Verdict",
        "caveats": "What these results rest on",
        "budget": "Budget",
        "over_time": "Over time",
        "scenarios_words": "The scenarios in words",
        "details": "Details",
        "more": "more", "fewer": "fewer",
        "v_durable_better": "<b>{better}</b> gives more durable placements (in work for 12 months or more): "
                            "{amount} over {years} years ({per_year} a year; 95% interval {lo} to {hi}).",
        "v_durable_none": "On durable placements neither scenario is clearly better: <b>{alt}</b> minus <b>{base}</b> is {amount} "
                          "over {years} years (95% interval {lo} to {hi}, which includes zero).",
        "v_durable_same": "Durable placements, <b>{alt}</b> minus <b>{base}</b>: {amount} over {years} years in every replication alike: "
                          "with no spread there is no interval, so neither scenario is shown to be better.",
        "v_cpd_same": "Cost per durable placement, <b>{alt}</b> minus <b>{base}</b>: EUR {amount} in every replication alike: with no "
                      "spread there is no interval, so neither is shown to be cheaper.",
        "v_cpd_better": "<b>{better}</b> is cheaper per durable placement: EUR {amount} less "
                        "(95% interval EUR {lo} to {hi}; {better_value} against {other_value}).",
        "v_cpd_none": "On cost per durable placement neither is clearly cheaper: <b>{alt}</b> minus <b>{base}</b> is EUR {amount} "
                      "(95% interval EUR {lo} to {hi}).",
        "v_net": "Net cost to the public purse of <b>{alt}</b> against <b>{base}</b> (activation cost minus benefit savings, "
                 "benefits at EUR {benefit} per person-month): {total} over {years} years, {per_year} a year "
                 "(95% interval {lo} to {hi} over the whole period). {meaning}",
        "v_net_costs": "It costs the public purse more than it saves in benefits, so <b>{base}</b> is better on "
                       "this count.",
        "v_net_saves": "It saves more in benefits than it costs, so <b>{alt}</b> is better on this count.",
        "v_net_none": "The interval includes zero: neither is clearly better on this count.",
        "v_net_same": "It is the same in every replication, so there is no interval: neither is shown to be better "
                      "on this count.",
        "v_one": "With a single replication there are no intervals: none of the differences below can be told "
                 "apart from chance. Run 20 or more replications before drawing conclusions.",
        "v_durable_one": "Durable placements, <b>{alt}</b> minus <b>{base}</b>: {amount} over {years} years (no interval with one "
                         "replication).",
        "v_cpd_one": "Cost per durable placement, <b>{alt}</b> minus <b>{base}</b>: EUR {amount} (no interval with one replication).",
        "v_net_one": "Net cost to the public purse of <b>{alt}</b> against <b>{base}</b> (activation cost minus benefit savings, "
                     "benefits at EUR {benefit} per person-month): {total} over {years} years, {per_year} a year (no "
                     "interval with one replication, so neither is shown to be better on this count).",
        "v_scale": "All counts and amounts in this verdict are for the simulated population, {pct} of the national caseload "
                   "(national figures are roughly {factor} times larger).",
        "v_window_one": "Window {frm} to {to}: durable placements in it, {amount} (no interval with one "
                        "replication).",
        "v_window": "Window {frm} to {to}: durable placements in it, {amount} (95% interval {lo} to {hi}).",
        "v_window_zero": "Window {frm} to {to}: durable placements in it, {amount} (95% interval {lo} to {hi}): the "
                         "interval includes zero, so the change cannot be told apart from chance.",
        "v_window_same": "Window {frm} to {to}: durable placements in it, {amount} in every replication alike: with no "
                         "spread there is no interval.",
        "c_intervals": "The 95% intervals cover chance only: the variation between the {n} replications (random "
                       "events such as who finds a vacancy). They do not cover uncertainty in the parameters or "
                       "in the model itself.",
        "c_intervals_draws": "The 95% intervals cover chance and the parameter uncertainty drawn for this run: "
                             "each of the {n} replications drew its own values of the uncertain parameters from "
                             "their stated ranges (set beforehand, not fitted to Dutch history). They do not cover "
                             "uncertainty in the calibrated parameters or in the model itself. They bound the average effect "
                             "over the draws: how far the effect of a single draw can range, and whether the ranking "
                             "holds across the draws, is in the section \u201cParameter uncertainty\u201d.",
        "c_intervals_draws_cal": "The 95% intervals cover chance and the parameter uncertainty drawn for this run: "
                                 "each of the {n} replications drew its own values of {k} uncertain parameters: {a} "
                                 "from ranges set beforehand and {c} with the spread that the fit to Dutch history gives "
                                 "(drawn jointly, docs/calibration.md). They do not cover uncertainty in the model "
                                 "itself. They bound the average effect over the draws: how far the effect of a single "
                                 "draw can range, and whether the ranking holds across the draws, is in the section "
                                 "\u201cParameter uncertainty\u201d.",
        "c_assumptions": "{k} of the {m} parameter values in the scenario files are marked as an assumption in "
                         "their source (the rest come from reports, statistics or calibration); see "
                         "docs/parameters.md.",
        "c_reps": "Replications used: {n}.",
        "c_few": "Warning: fewer than 20 replications. Intervals are wide and can shift noticeably with more "
                 "replications; use 20 or more before drawing conclusions.",
        "c_order": "Check the order of the files: the reference (the first file, {base}) runs a programme and {alt} "
                   "runs none, so every effect in this report is that programme taken away. sim report and sim "
                   "compare take the reference first: sim report BASELINE.h5 POLICY.h5.",
        "c_scale": "The runs simulate {pct} of the national caseload to save time.",
        "c_rule_any": "In these runs cooperation between municipalities and UWV (regional maturity) grows fully "
                      "whenever any cooperation work is funded, whatever the amount.",
        "c_rule_dose": "In these runs cooperation between municipalities and UWV (regional maturity) grows with the "
                       "money spent on it, fully from EUR {amount} per region per year.",
        "c_rule_mixed": "The scenarios compared use different rules for how cooperation between municipalities and "
                        "UWV (regional maturity) grows with the money spent on it, so their difference mixes the "
                        "funding choice with that rule.",
        "c_rule_turns": "The sources do not settle this rule, and it can decide the funding choice: for Perspectief "
                        "op Werk's EUR 70M, a structural budget gives more durable placements than the two-year "
                        "impulse when cooperation grows fully for any funded amount (as in the standard scenarios), "
                        "and fewer when it grows in proportion to its money and needs more than about EUR 55,000 per "
                        "region per year for the full growth (docs/scenarios.md, \"Structural or incidental\").",
        "c_rule_size": "The sources do not settle this rule, and it changes how large a programme's effect is: "
                       "structural Perspectief op Werk gives {shipped} more durable placements than the baseline "
                       "when cooperation grows fully for any funded amount (as in the standard scenarios), and "
                       "{dose} more when it grows in proportion to its money, fully from EUR 100,000 per region per "
                       "year (national runs, docs/scenarios.md, \"Structural or incidental\").",
        "b_none": "{name}: no programme budget.",
        "b_maturity_dose": "In these runs cooperation between municipalities and UWV (regional maturity) grows with "
                           "the effective money a programme spends on it, fully from EUR {amount} per region per year "
                           "(cooperation_money_for_full_gain); the library's other scenarios give the whole growth for "
                           "any amount (docs/scenarios.md).",
        "b_maturity_mixed": "The scenarios compared use different rules for how cooperation grows with the money "
                            "spent on it (any amount, or in proportion up to EUR {amount} per region per year), so "
                            "their difference mixes the funding choice with that rule (docs/scenarios.md).",
        "b_maturity": "What the money buys in this model: programme places, job coaches and staff grow with the "
                      "amount, but cooperation between municipalities and UWV (regional maturity) grows at the same "
                      "rate whenever any cooperation work is funded, whatever its amount (docs/model.md §7.15). Part "
                      "of a programme's effect therefore does not grow with its budget, and the cost per additional "
                      "placement is an average over the whole programme: a larger or smaller budget would not change "
                      "the placements in proportion. The sources do not say which rule holds. Under the other rule "
                      "tested (cooperation growing with the money spent on it, fully from EUR 100k per region per "
                      "year: the scenarios pow-incidental-dose and pow-structural-dose) the structural PoW budget "
                      "gives fewer durable placements than the incidental one (docs/scenarios.md).",
        "b_prog": "{name} — {prog}: budget {budget}; planned {planned} in total over {regions}; never spent "
                  "(under-spending {under}): {unspent}; so at most {spent} is spent.",
        "b_scaled": "The simulated population, {pct} of the national caseload, gets the same share of this money: "
                    "{planned} planned, at most {spent} spent.",
        "b_simulated": " in the simulated population",
        "b_diff_one": "Measured difference in activation cost{pop} (all instruments, staff, subsidies) of {alt} "
                      "against {base}: {amount} (no interval with one replication).",
        "b_diff": "Measured difference in activation cost{pop} (all instruments, staff, subsidies) of {alt} "
                  "against {base}: {amount} (95% interval {lo} to {hi}).",
        "b_diff_why": "It can differ from the money spent from the budget above: it also holds the wage subsidies, "
                      "aftercare and staff time that the extra placements and starts bring, paid from regular funds "
                      "(cost_subsidies, cost_aftercare and cost_staff in /summary).",
        "incidental": "incidental", "structural": "structural",
        "budget_total": "EUR {amount} per region in total over {years} years ({start} to {end})",
        "budget_year": "EUR {amount} per region per year, {start} to {end} (EUR {total} per region in total)",
        "prog_words": "{name}: {kind} funding, {budget}, in {regions}; under-spending {under} (share of the money "
                      "never spent); substitution {subst} (share that replaces money the region spent already, "
                      "at the weakest cooperation)",
        "all_regions": "all 35 regions", "n_regions": "{n} regions",
        "covid_on": "Covid-19 shock from {onset}", "covid_off": "no Covid-19 shock",
        "coop": "cooperation maturity {sign}{x} against the regions' own level",
        "no_prog": "no programme",
        "chart_title": "Paired difference {per}, {alt} minus {base}",
        "chart_durable": "durable placements {per}\n(persons, difference)",
        "chart_caseload": "people on benefit\n(persons, difference)",
        "chart_cumulative": "durable placements so far\n(persons, cumulative difference)",
        "chart_x": "date (start of each {step})",
        "chart_band": "mean difference and 95% interval",
        "chart_window": "window",
        "chart_caption": "Above zero: {alt} has more in that {step} (top) or up to that {step} (middle); the band is "
                         "the 95% paired interval over the replications, for each {step} on its own: with no effect at "
                         "all the band would exclude zero in about one {step} in twenty by chance, so a {step} where the "
                         "line crosses zero is not itself a tested result. The lower panel is the caseload: below zero "
                         "means fewer people on benefit.",
        "chart_caption_one": "Above zero: {alt} has more in that {step} (top) or up to that {step} (middle); with one "
                             "replication there is no interval, so no {step} is shown to differ by more than chance. "
                             "The lower panel is the caseload: below zero means fewer people on benefit.",
        "eur_m": "EUR {x} million", "eur": "EUR {x}",
    },
    "nl": {
        "compared_with": "{alt} vergeleken met {base}",
        "verdict": "Conclusie",
        "caveats": "Waar deze uitkomsten op rusten",
        "budget": "Budget",
        "over_time": "Verloop in de tijd",
        "scenarios_words": "De scenario's in woorden",
        "details": "Details",
        "more": "meer", "fewer": "minder",
        "v_durable_better": "<b>{better}</b> geeft meer duurzame plaatsingen (12 maanden of langer aan het werk): "
                            "{amount} in {years} jaar ({per_year} per jaar; 95%-interval {lo} tot {hi}).",
        "v_durable_none": "Op duurzame plaatsingen is geen van beide duidelijk beter: <b>{alt}</b> min <b>{base}</b> is {amount} in "
                          "{years} jaar (95%-interval {lo} tot {hi}, inclusief nul).",
        "v_durable_same": "Duurzame plaatsingen, <b>{alt}</b> min <b>{base}</b>: {amount} in {years} jaar, in elke herhaling even veel: "
                          "zonder spreiding is er geen interval, dus geen van beide is aantoonbaar beter.",
        "v_cpd_same": "Kosten per duurzame plaatsing, <b>{alt}</b> min <b>{base}</b>: EUR {amount}, in elke herhaling even veel: zonder "
                      "spreiding is er geen interval, dus geen van beide is aantoonbaar goedkoper.",
        "v_cpd_better": "<b>{better}</b> is goedkoper per duurzame plaatsing: EUR {amount} minder "
                        "(95%-interval EUR {lo} tot {hi}; {better_value} tegenover {other_value}).",
        "v_cpd_none": "Op kosten per duurzame plaatsing is geen van beide duidelijk goedkoper: "
                      "<b>{alt}</b> min <b>{base}</b> is EUR {amount} (95%-interval EUR {lo} tot {hi}).",
        "v_net": "Netto kosten voor de overheid van <b>{alt}</b> tegenover <b>{base}</b> (activeringskosten min "
                 "besparing op uitkeringen, uitkering EUR {benefit} per persoon per maand): {total} in {years} "
                 "jaar, {per_year} per jaar (95%-interval {lo} tot {hi} over de hele periode). {meaning}",
        "v_net_costs": "Het kost de overheid meer dan het aan uitkeringen bespaart; op dit punt is <b>{base}</b> "
                       "beter.",
        "v_net_saves": "Het bespaart meer aan uitkeringen dan het kost; op dit punt is <b>{alt}</b> beter.",
        "v_net_none": "Het interval bevat nul: geen van beide is op dit punt duidelijk beter.",
        "v_net_same": "Het is in elke herhaling gelijk, dus er is geen interval: geen van beide is op dit punt "
                      "aantoonbaar beter.",
        "v_one": "Met één herhaling zijn er geen intervallen: geen van de verschillen hieronder is van toeval te "
                 "onderscheiden. Gebruik 20 of meer herhalingen voordat u conclusies trekt.",
        "v_durable_one": "Duurzame plaatsingen, <b>{alt}</b> min <b>{base}</b>: {amount} in {years} jaar (geen interval bij één "
                         "herhaling).",
        "v_cpd_one": "Kosten per duurzame plaatsing, <b>{alt}</b> min <b>{base}</b>: EUR {amount} (geen interval bij één herhaling).",
        "v_net_one": "Netto kosten voor de overheid van <b>{alt}</b> tegenover <b>{base}</b> (activeringskosten min "
                     "besparing op uitkeringen, uitkering EUR {benefit} per persoon per maand): {total} in {years} "
                     "jaar, {per_year} per jaar (geen interval bij één herhaling, dus geen van beide is op dit punt "
                     "aantoonbaar beter).",
        "v_scale": "Alle aantallen en bedragen in deze conclusie gelden voor de gesimuleerde populatie, {pct} van het landelijke "
                   "bestand (landelijk ongeveer {factor} keer zo groot).",
        "v_window_one": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount} (geen interval bij één "
                        "herhaling).",
        "v_window": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount} (95%-interval {lo} tot {hi}).",
        "v_window_zero": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount} (95%-interval {lo} tot {hi}): "
                         "het interval bevat nul, dus de verandering is niet van toeval te onderscheiden.",
        "v_window_same": "Periode {frm} tot {to}: duurzame plaatsingen daarin {amount}, in elke herhaling even veel: "
                         "zonder spreiding is er geen interval.",
        "c_intervals": "De 95%-intervallen dekken alleen toeval: de spreiding tussen de {n} herhalingen "
                       "(willekeurige gebeurtenissen, zoals wie een vacature vindt). Onzekerheid in de parameters "
                       "of in het model zelf valt erbuiten.",
        "c_intervals_draws": "De 95%-intervallen dekken toeval en de parameteronzekerheid die voor deze run is "
                             "getrokken: elk van de {n} herhalingen trok eigen waarden van de onzekere parameters "
                             "uit hun opgegeven bereik (vooraf vastgesteld, niet gefit op de Nederlandse "
                             "geschiedenis). Onzekerheid in de gekalibreerde parameters of in het model zelf valt "
                             "erbuiten. Ze begrenzen het gemiddelde effect over de trekkingen: hoe ver het effect van "
                             "één trekking kan uiteenlopen, en of de rangorde over de trekkingen standhoudt, staat in "
                             "de sectie \u201cOnzekerheid in de parameters\u201d.",
        "c_intervals_draws_cal": "De 95%-intervallen dekken toeval en de parameteronzekerheid die voor deze run is "
                                 "getrokken: elk van de {n} herhalingen trok eigen waarden van {k} onzekere "
                                 "parameters: {a} uit vooraf vastgestelde bereiken en {c} met de spreiding die de "
                                 "kalibratie op de Nederlandse geschiedenis geeft (samen getrokken, docs/calibration.md). "
                                 "Onzekerheid in het model zelf valt erbuiten. Ze begrenzen het gemiddelde effect over "
                                 "de trekkingen: hoe ver het effect van één trekking kan uiteenlopen, en of de rangorde "
                                 "over de trekkingen standhoudt, staat in de sectie \u201cOnzekerheid in de "
                                 "parameters\u201d.",
        "c_assumptions": "{k} van de {m} parameterwaarden in de scenariobestanden zijn in hun bron als aanname "
                         "gemarkeerd (de rest komt uit rapporten, statistiek of kalibratie); zie docs/parameters.md.",
        "c_reps": "Gebruikte herhalingen: {n}.",
        "c_few": "Waarschuwing: minder dan 20 herhalingen. De intervallen zijn breed en kunnen met meer "
                 "herhalingen merkbaar verschuiven; gebruik er 20 of meer voordat u conclusies trekt.",
        "c_order": "Controleer de volgorde van de bestanden: de referentie (het eerste bestand, {base}) voert een "
                   "programma uit en {alt} geen, dus elk effect in dit rapport is het wegnemen van dat programma. "
                   "sim report en sim compare nemen de referentie eerst: sim report BASIS.h5 BELEID.h5.",
        "c_scale": "De runs simuleren {pct} van het landelijke bestand om tijd te sparen.",
        "c_rule_any": "In deze runs groeit de samenwerking tussen gemeenten en UWV (regionale volwassenheid) "
                      "volledig zodra er enige samenwerking gefinancierd wordt, ongeacht het bedrag.",
        "c_rule_dose": "In deze runs groeit de samenwerking tussen gemeenten en UWV (regionale volwassenheid) met het "
                       "geld dat eraan besteed wordt, volledig vanaf EUR {amount} per regio per jaar.",
        "c_rule_mixed": "De vergeleken scenario's gebruiken verschillende regels voor hoe de samenwerking tussen "
                        "gemeenten en UWV (regionale volwassenheid) groeit met het geld dat eraan besteed wordt, dus "
                        "hun verschil mengt de financieringskeuze met die regel.",
        "c_rule_turns": "De bronnen geven over deze regel geen uitsluitsel, en zij kan de financieringskeuze "
                        "beslissen: voor de EUR 70 miljoen van Perspectief op Werk geeft een structureel budget meer "
                        "duurzame plaatsingen dan de tweejarige impuls als de samenwerking volledig groeit bij elk "
                        "gefinancierd bedrag (zoals in de standaardscenario's), en minder als zij evenredig met het "
                        "geld groeit en er meer dan ongeveer EUR 55.000 per regio per jaar nodig is voor de volle "
                        "groei (docs/scenarios.md, \"Structural or incidental\").",
        "c_rule_size": "De bronnen geven over deze regel geen uitsluitsel, en zij bepaalt hoe groot het effect van "
                       "een programma is: structureel Perspectief op Werk geeft {shipped} duurzame plaatsingen meer "
                       "dan de basislijn als de samenwerking volledig groeit bij elk gefinancierd bedrag (zoals in de "
                       "standaardscenario's), en {dose} meer als zij evenredig met het geld groeit, volledig vanaf "
                       "EUR 100.000 per regio per jaar (landelijke runs, docs/scenarios.md, \"Structural or "
                       "incidental\").",
        "b_none": "{name}: geen programmabudget.",
        "b_maturity_dose": "In deze runs groeit de samenwerking tussen gemeenten en UWV (regionale volwassenheid) "
                           "met het effectieve geld dat een programma eraan besteedt, volledig vanaf EUR {amount} per "
                           "regio per jaar (cooperation_money_for_full_gain); de andere scenario's van de bibliotheek "
                           "geven de hele groei bij elk bedrag (docs/scenarios.md).",
        "b_maturity_mixed": "De vergeleken scenario's gebruiken verschillende regels voor hoe de samenwerking groeit "
                            "met het geld dat eraan besteed wordt (elk bedrag, of naar verhouding tot EUR {amount} per "
                            "regio per jaar), dus hun verschil mengt de financieringskeuze met die regel "
                            "(docs/scenarios.md).",
        "b_maturity": "Wat het geld in dit model koopt: programmaplekken, jobcoaches en personeel groeien mee met "
                      "het bedrag, maar de samenwerking tussen gemeenten en UWV (regionale volwassenheid) groeit in "
                      "hetzelfde tempo zodra er enig samenwerkingswerk gefinancierd wordt, ongeacht het bedrag "
                      "(docs/model.md §7.15). Een deel van het effect van een programma groeit dus niet mee met het "
                      "budget, en de kosten per extra plaatsing zijn een gemiddelde over het hele programma: een "
                      "groter of kleiner budget zou het aantal plaatsingen niet naar verhouding veranderen. De bronnen "
                      "zeggen niet welke regel geldt. Volgens de andere onderzochte regel (samenwerking die groeit met "
                      "het geld dat eraan besteed wordt, volledig vanaf EUR 100k per regio per jaar: de scenario's "
                      "pow-incidental-dose en pow-structural-dose) geeft het structurele PoW-budget minder duurzame "
                      "plaatsingen dan het incidentele (docs/scenarios.md).",
        "b_prog": "{name} — {prog}: budget {budget}; gepland {planned} in totaal over {regions}; nooit "
                  "besteed (onderbesteding {under}): {unspent}; er wordt dus hoogstens {spent} besteed.",
        "b_scaled": "De gesimuleerde populatie, {pct} van het landelijke bestand, krijgt hetzelfde deel van dit geld: "
                    "gepland {planned}, hoogstens {spent} besteed.",
        "b_simulated": " in de gesimuleerde populatie",
        "b_diff_one": "Gemeten verschil in activeringskosten{pop} (alle instrumenten, personeel, subsidies) van {alt} "
                      "tegenover {base}: {amount} (geen interval bij één herhaling).",
        "b_diff": "Gemeten verschil in activeringskosten{pop} (alle instrumenten, personeel, subsidies) van {alt} "
                  "tegenover {base}: {amount} (95%-interval {lo} tot {hi}).",
        "b_diff_why": "Het kan afwijken van het geld dat uit het budget hierboven wordt uitgegeven: het omvat ook de "
                      "loonkostensubsidies, nazorg en personeelsinzet die de extra plaatsingen en starts meebrengen, "
                      "betaald uit reguliere middelen (cost_subsidies, cost_aftercare en cost_staff in /summary).",
        "incidental": "incidentele", "structural": "structurele",
        "budget_total": "EUR {amount} per regio in totaal over {years} jaar ({start} tot {end})",
        "budget_year": "EUR {amount} per regio per jaar, {start} tot {end} (EUR {total} per regio in totaal)",
        "prog_words": "{name}: {kind} financiering, {budget}, in {regions}; onderbesteding {under} (deel van het "
                      "geld dat nooit wordt besteed); substitutie {subst} (deel dat geld vervangt dat de regio al "
                      "uitgaf, bij de zwakste samenwerking)",
        "all_regions": "alle 35 regio's", "n_regions": "{n} regio's",
        "covid_on": "Covid-19-schok vanaf {onset}", "covid_off": "geen Covid-19-schok",
        "coop": "volwassenheid van de samenwerking {sign}{x} ten opzichte van het eigen niveau van de regio's",
        "no_prog": "geen programma",
        "chart_title": "Verschil {per} (gepaard), {alt} min {base}",
        "chart_durable": "duurzame plaatsingen {per}\n(personen, verschil)",
        "chart_caseload": "mensen in de uitkering\n(personen, verschil)",
        "chart_cumulative": "duurzame plaatsingen tot dan\n(personen, cumulatief verschil)",
        "chart_x": "datum (begin van elke {step})",
        "chart_band": "gemiddeld verschil en 95%-interval",
        "chart_window": "periode",
        "chart_caption": "Boven nul: {alt} heeft in die {step} (boven) of tot die {step} (midden) meer; de band is "
                         "het gepaarde 95%-interval over de herhalingen, voor elke {step} afzonderlijk: zonder enig "
                         "effect zou de band door toeval in ongeveer één {step} op de twintig nul niet bevatten, dus een "
                         "{step} waarin de lijn nul kruist is zelf geen getoetst resultaat. Het onderste paneel is het bestand: "
                         "onder nul betekent minder mensen in de uitkering.",
        "chart_caption_one": "Boven nul: {alt} heeft in die {step} (boven) of tot die {step} (midden) meer; met één "
                             "herhaling is er geen interval, dus bij geen enkele {step} is aangetoond dat het verschil groter is "
                             "dan toeval. "
                             "Het onderste paneel is het bestand: onder nul betekent minder mensen in de uitkering.",
        "eur_m": "EUR {x} miljoen", "eur": "EUR {x}",
    },
}

# --------------------------------------------------- the detailed sections --

_REPORT = {
    "en": {
        # section headings; each section's id comes from its English heading (the page's links)
        "sec_question": "The question",
        "sec_scenarios": "Scenarios compared",
        "sec_headline": "Headline results",
        "sec_regions": "Results by region",
        "sec_counterfactual": "Who is placed because of the policy",
        "sec_charts": "Charts",
        "sec_reading": "How to read this report",
        "sec_provenance": "Provenance",
        # numbers and units
        "n_a": "n/a",
        "pp": "{x} percentage points",
        "months": "{x} months",
        "eur_million": "EUR {sign}{x} million",
        "eur_plain": "EUR {sign}{x}",
        "range": "{lo} to {hi}",
        "range_pp": "{lo} to {hi} percentage points",
        "range_months": "{lo} to {hi} months",
        "range_eur_m": "EUR {lo} to {hi} million",
        "range_eur": "EUR {lo} to {hi}",
        # headline sentences: a verb is (singular, plural)
        "w_assumption": ("assumption", "assumptions"), "w_calibrated": ("calibrated parameter", "calibrated parameters"),
        "w_do": ("does", "do"), "w_change": ("changes", "change"), "w_rise": ("rises", "rise"), "w_fall": ("falls", "fall"),
        "s_nochange": "{label} {verb} not change (the same in every replication).",
        "s_same": "{label} {verb} by {amount} in every replication{rel}: with no spread there is no interval, so this is "
                  "not counted as a clear change.",
        "s_one": "{label} {verb} by {amount} (no interval from one replication){rel}.",
        "s_zero": "{label} {verb} by {amount} (95% interval {range}){rel}: the interval includes zero, so the change "
                  "cannot be told apart from chance.",
        "s_clear": "{label} {verb} by {amount} (95% interval {range}){rel}.",
        # /summary fields of the headline: (label, plural)
        "hl_placements": ("Placements by the WSP", True),
        "hl_durable_placements": ("Durable placements", True),
        "hl_durable_share": ("The share of placements that last", False),
        "hl_job_losses": ("Placements ended early", True),
        "hl_exits_work_own": ("Exits to work found without the WSP", True),
        "hl_programme_dropouts": ("Drop-outs from programmes", True),
        "hl_mean_months_to_placement": ("The time from profiling to placement", False),
        "hl_caseload_end": ("The number of people on benefit at the end", False),
        "hl_benefit_months": ("Benefit months", True),
        "hl_cost_total": ("The total cost of activation (excl. benefits)", False),
        "hl_cost_benefits": ("Benefit payments", True),
        "hl_cost_per_durable": ("The cost per durable placement", False),
        # the question
        "q_item": "<li><strong>{alt}</strong> against <strong>{base}</strong>{question}</li>",
        "q_lead": "What changes when the policy of each scenario below is applied to the same people, in the same "
                  "regions, with the same chance events as in the reference scenario <strong>{base}</strong>?",
        "q_reference": "Reference scenario: {question}",
        "q_quoted": "{question}",
        # the line under the title: a model's description (the file's title attribute, models/*.c)
        "model_labour_market": "Activation of jobseekers on social assistance in the 35 Dutch labour-market regions",
        # scenarios compared
        "h_scenarios": ("scenario", "role", "file", "policy blocks", "--set overrides"),
        "role_reference": "reference", "role_policy": "policy",
        "no_blocks": "none (no programme or shock)", "none": "none", "block_set": "(set)",
        "per_region_year": "EUR {amount} per region per year",
        "per_region_total": "EUR {amount} per region in total",
        "all_runs": "All runs: model <code>{model}</code>, {n} regions, {origin} to {end}, seed {seed}, {reps} "
                    "replications paired one to one",
        "scaled": "; population scale {scale}: the runs simulate {pct}% of the national caseload, so counts and "
                  "costs below are for that simulated population (roughly {factor} times smaller than national figures)",
        "traced": "; trajectories traced for {pct}% of people",
        "traced_each": "; the runs do not trace the same share of people: {list} (so \u201c{section}\u201d is not "
                       "available for a run whose share differs from the reference's)",
        "traced_item": "{pct}% in {name}",
        "params_same": "<p><strong>{alt}</strong>: every numeric parameter equals the reference's.</p>",
        "params_more": "<p class=\"note\">... and {n} more.</p>",
        "params_differ": "<details><summary>Other numeric parameters of {alt} that differ from {base} (raw values; the "
                         "programmes are described in words above)</summary>\n{table}{more}</details>",
        "h_parameter": "parameter",
        "not_set": "(not set)",
        # headline results
        "cpa_ratio": "Each additional durable placement costs about {ratio} (95% interval {range}): {cost} more spent "
                     "on activation for {n} more durable placements.",
        "cpa_fewer": "There are fewer durable placements than in the reference ({n}), so there is no cost per "
                     "additional durable placement; activation cost changes by {cost}.",
        "cpa_none": "The change in durable placements cannot be told apart from zero, so the cost per additional "
                    "durable placement is not defined (activation cost changes by {cost}).",
        "h_metric": "metric", "h_mean": "{name} mean", "h_difference": "difference", "h_interval": "95% interval",
        "h_change": "change",
        "shaded_holm": "<p class=\"note\">Shaded rows: the 95% interval excludes zero, for that one outcome on "
                       "its own. p (Holm): each outcome's p-value after Holm's correction over the outcomes of its "
                       "table (one table per comparison; rows marked n/a have no test and are left out). With it, "
                       "the chance that any row of a table shows a change by chance alone is at most 5%, however "
                       "the outcomes are linked; below 0.05 the change stays clear after that correction. A shaded row "
                       "can have p (Holm) above 0.05. The CSV of all paired differences (sim compare --csv) corrects "
                       "over all its outcomes, more than this table's, so its p_holm for the same outcome is at least as large.</p>",
        "h_holm": "p (Holm)",
        # results by region
        "reg_none": "<p>Not available: the files hold no per-region series (run with <code>-d series</code> or "
                    "<code>-d events</code>).</p>",
        "reg_intro": "<p>Durable placements over the whole period per region: the mean of each scenario and the paired "
                     "difference with its 95% interval. These are {n} comparisons at once: with no effect anywhere, "
                     "about {expect} of the {n} intervals would still exclude zero by chance. So the shaded rows are "
                     "those whose difference stays clear after Holm's correction for the {n} regions (p, Holm: below "
                     "0.05; the chance of even one false alarm among all regions stays at 5%). Deadweight and net "
                     "effect are from the person-level comparison of durable placements (see the next section).</p>",
        "one_in_twenty": "one in twenty",
        "reg_file_none": "<p>Not available: {file} holds no per-region series.</p>",
        "h_regions": ("region", "WSP structure", "difference", "95% interval", "p (Holm)", "change", "deadweight",
                      "net people durably placed (95% interval)"),
        "reg_net_note": "<p class=\"note\">Net people durably placed (95% interval over replications) counts "
                        "people, not placements: among the people traced in both runs, a sample scaled up to the "
                        "population, those with a durable placement only with the policy minus those with one only "
                        "without it. The column 'difference' is the total of durable placements in the region's "
                        "series over everybody (a person can have more than one), so the two can differ, even in "
                        "sign, above all where the net figure's interval includes zero.</p>",
        # who is placed because of the policy
        "cf_none": "<p><strong>{alt}</strong>: not available; both files need <code>-d events</code> with the same "
                   "<code>--sample</code>.</p>",
        "cf_placed": "placed", "cf_durable": "placed durably",
        "cf_text": "<p>Of the people placed under <strong>{alt}</strong>, {dw} were placed in "
                   "<strong>{base}</strong> as well (deadweight). {gained} people per replication are placed only "
                   "with the policy and {lost} only in the reference: a net effect of {net} people placed per "
                   "replication ({ci}), for the simulated population. Only the net effect, with its interval, "
                   "measures the policy. The two gross counts, and so the deadweight, also hold chance: when the "
                   "policy changes who gets a vacancy or a place, other people's later chances change too, so a "
                   "policy with no effect at all still shows many people placed on one side only and a deadweight "
                   "well below 100%. Read the gross counts as upper bounds on what the policy causes, and the "
                   "deadweight as a lower bound on the true deadweight.</p>",
        "cf_ci": "95% interval {range}", "cf_ci_same": "the same in every replication: no interval",
        "no_spread": "no spread",
        "cf_only": "<p class=\"note\">{a} traced people appear only in {alt} and {b} only in {base} (e.g. extra "
                   "inflow); they are left out.</p>",
        "cf_note": "<p class=\"note\">Counts are traced people (not placements: a person can be placed more than "
                   "once) summed over replications; deadweight = both / placed with the policy; net = (policy only - "
                   "reference only) per replication, scaled to the simulated population by 1/sample.</p>",
        "h_counterfactual": ("outcome", "traced", "both", "policy only", "reference only", "neither", "deadweight",
                             "net per replication", "95% interval"),
        # charts
        "cap_series": "National placements {per} and caseload: mean over replications (line) and the 5-95% range "
                      "of the replications (band).",
        "cap_forest": "Difference in durable placements over the whole period per region against the reference, with "
                      "95% intervals (not corrected for comparing many regions: with no effect, about one in twenty "
                      "would miss the vertical line by chance; the regional table marks the regions that stay clear "
                      "after Holm's correction).",
        "cap_forest_metric": "Difference per region against the reference in {metric}, the series of the chart's title "
                             "(flows summed over the whole period, stocks at its end), with 95% intervals (not corrected for "
                             "comparing many regions: with no effect, about one in twenty would miss the vertical line by "
                             "chance; the regional table, on durable placements, marks the regions that stay clear after "
                             "Holm's correction).",
        "cap_survival": "How quickly people are placed after their first profiling, and how long placements last "
                        "before a job loss (Kaplan-Meier estimates with 95% bands).",
        "cap_scatter": "Cost against durable placements: each dot is one replication; grey lines join replications "
                       "with the same chance events; ringed dots are the means.",
        "chart_alt": "{name} chart",   # a chart without a text of its own; "alt_" + name: the image's alt text
        "alt_series": "chart: placements and caseload, all regions", "alt_forest": "chart: difference per region",
        "alt_survival": "chart: survival curves (Kaplan-Meier)",
        "alt_scatter": "chart: cost against durable placements",
        "no_charts": "<p>No charts could be drawn from these files.</p>",
        # how to read this report
        "reading": "<p>Each scenario was simulated {reps} times (replications). Replication <em>r</em> of every "
                   "scenario uses the same random numbers for the same person, so the two runs start alike and "
                   "much of the chance variation cancels in their difference, but not all of it: once the policy "
                   "changes who gets a vacancy or a place, later chances fall to other people. The difference is "
                   "computed per replication and then averaged. The 95% interval is a t interval over the {reps} "
                   "paired differences; when it excludes zero the change is unlikely to be chance, for that one "
                   "outcome: this report shows many outcomes, and with no effect at all about one in twenty of their "
                   "intervals would still exclude zero, so the table of headline results also shows p (Holm), "
                   "corrected over its outcomes. The regional table makes one comparison per region, so by chance alone about one in "
                   "twenty of its intervals would exclude zero: it marks the regions that stay clear after Holm's "
                   "correction. Percentages are relative to the reference mean.</p>\n<p>The person-level comparison "
                   "uses the same property: a person traced in both runs is the same person, so one can see whether "
                   "he or she was placed with and without the policy. Kaplan-Meier curves treat people who leave "
                   "benefit otherwise, or who are still waiting at the end of the simulated period, as censored.</p>",
        # provenance
        "h_provenance": ("file", "scenario file", "created (UTC)", "toolkit", "seed", "replications", "format version",
                         "command line", "sha256 (first 16 hex)"),
        "made": "<p>Report made {made} by {tool} with <code>{cmd}</code>; Python {python}, numpy {numpy}, h5py {h5py} "
                "(HDF5 {hdf5}), matplotlib {mpl}.</p>",
        "run_directly": "python3 -m analysis.report (run directly)",
    },
    "nl": {
        "sec_question": "De vraag",
        "sec_scenarios": "De vergeleken scenario's",
        "sec_headline": "Belangrijkste uitkomsten",
        "sec_regions": "Uitkomsten per regio",
        "sec_counterfactual": "Wie door het beleid geplaatst wordt",
        "sec_charts": "Grafieken",
        "sec_reading": "Hoe u dit rapport leest",
        "sec_provenance": "Herkomst",
        "n_a": "n.v.t.",
        "pp": "{x} procentpunt",
        "months": "{x} maanden",
        "eur_million": "EUR {sign}{x} miljoen",
        "eur_plain": "EUR {sign}{x}",
        "range": "{lo} tot {hi}",
        "range_pp": "{lo} tot {hi} procentpunt",
        "range_months": "{lo} tot {hi} maanden",
        "range_eur_m": "EUR {lo} tot {hi} miljoen",
        "range_eur": "EUR {lo} tot {hi}",
        "w_assumption": ("aanname", "aannames"), "w_calibrated": ("gekalibreerde parameter", "gekalibreerde parameters"),
        "w_do": ("verandert", "veranderen"), "w_change": ("verandert", "veranderen"), "w_rise": ("stijgt", "stijgen"),
        "w_fall": ("daalt", "dalen"),
        "s_nochange": "{label} {verb} niet (in elke herhaling gelijk).",
        "s_same": "{label} {verb} in elke herhaling met {amount}{rel}: zonder spreiding is er geen interval, dus dit "
                  "telt niet als een duidelijke verandering.",
        "s_one": "{label} {verb} met {amount} (geen interval bij één herhaling){rel}.",
        "s_zero": "{label} {verb} met {amount} (95%-interval {range}){rel}: het interval bevat nul, dus de verandering "
                  "is niet van toeval te onderscheiden.",
        "s_clear": "{label} {verb} met {amount} (95%-interval {range}){rel}.",
        "hl_placements": ("Plaatsingen door het WSP", True),
        "hl_durable_placements": ("Duurzame plaatsingen", True),
        "hl_durable_share": ("Het aandeel plaatsingen dat standhoudt", False),
        "hl_job_losses": ("Voortijdig beëindigde plaatsingen", True),
        "hl_exits_work_own": ("Uitstroom naar werk zonder het WSP", False),
        "hl_programme_dropouts": ("Uitvallers uit programma's", True),
        "hl_mean_months_to_placement": ("De tijd van profilering tot plaatsing", False),
        "hl_caseload_end": ("Het aantal mensen in de uitkering aan het eind", False),
        "hl_benefit_months": ("Uitkeringsmaanden", True),
        "hl_cost_total": ("De totale activeringskosten (excl. uitkeringen)", True),
        "hl_cost_benefits": ("De uitkeringslasten", True),
        "hl_cost_per_durable": ("De kosten per duurzame plaatsing", True),
        "q_item": "<li><strong>{alt}</strong> tegenover <strong>{base}</strong>{question}</li>",
        "q_lead": "Wat verandert er als het beleid van elk scenario hieronder wordt toegepast op dezelfde mensen, in "
                  "dezelfde regio's, met dezelfde toevalsgebeurtenissen als in het referentiescenario "
                  "<strong>{base}</strong>?",
        "q_reference": "Referentiescenario: {question}",
        "q_quoted": "“{question}” (de vraag zoals het scenariobestand haar stelt, in het Engels)",
        "model_labour_market": "Activering van werkzoekenden in de bijstand in de 35 Nederlandse arbeidsmarktregio's",
        "h_scenarios": ("scenario", "rol", "bestand", "beleidsblokken", "--set-wijzigingen"),
        "role_reference": "referentie", "role_policy": "beleid",
        "no_blocks": "geen (geen programma of schok)", "none": "geen", "block_set": "(ingesteld)",
        "per_region_year": "EUR {amount} per regio per jaar",
        "per_region_total": "EUR {amount} per regio in totaal",
        "all_runs": "Alle runs: model <code>{model}</code>, {n} regio's, {origin} tot {end}, seed {seed}, {reps} "
                    "herhalingen, één op één gepaard",
        "scaled": "; populatieschaal {scale}: de runs simuleren {pct}% van het landelijke bestand, dus aantallen en "
                  "kosten hieronder gelden voor die gesimuleerde populatie (ruwweg {factor} keer kleiner dan de "
                  "landelijke cijfers)",
        "traced": "; trajecten gevolgd voor {pct}% van de mensen",
        "traced_each": "; de runs volgen niet hetzelfde deel van de mensen: {list} (dus ontbreekt \u201c{section}\u201d "
                       "voor een run waarvan het deel verschilt van dat van de referentie)",
        "traced_item": "{pct}% in {name}",
        "params_same": "<p><strong>{alt}</strong>: elke numerieke parameter is gelijk aan die van de referentie.</p>",
        "params_more": "<p class=\"note\">... en nog {n}.</p>",
        "params_differ": "<details><summary>Andere numerieke parameters van {alt} die verschillen van {base} (ruwe "
                         "waarden; de programma's staan hierboven in woorden)</summary>\n{table}{more}</details>",
        "h_parameter": "parameter",
        "not_set": "(niet ingesteld)",
        "cpa_ratio": "Elke extra duurzame plaatsing kost ongeveer {ratio} (95%-interval {range}): {cost} meer aan "
                     "activering besteed voor {n} duurzame plaatsingen meer.",
        "cpa_fewer": "Er zijn minder duurzame plaatsingen dan in de referentie ({n}), dus er zijn geen kosten per "
                     "extra duurzame plaatsing; de activeringskosten veranderen met {cost}.",
        "cpa_none": "De verandering in duurzame plaatsingen is niet van nul te onderscheiden, dus de kosten per extra "
                    "duurzame plaatsing zijn niet bepaald (de activeringskosten veranderen met {cost}).",
        "h_metric": "maatstaf", "h_mean": "{name} gemiddeld", "h_difference": "verschil", "h_interval": "95%-interval",
        "h_change": "verandering",
        "shaded_holm": "<p class=\"note\">Gearceerde rijen: het 95%-interval sluit nul uit, voor die ene uitkomst "
                       "afzonderlijk. p (Holm): de p-waarde van elke uitkomst na de correctie van Holm over de "
                       "uitkomsten van haar tabel (één tabel per vergelijking; rijen met n.v.t. hebben geen toets en "
                       "tellen niet mee). Daarmee is de kans dat een rij van de tabel alleen door toeval een "
                       "verandering toont ten hoogste 5%, ongeacht hoe de uitkomsten samenhangen; ligt p (Holm) onder 0,05, dan "
                       "blijft de verandering duidelijk na de correctie van Holm. Een gearceerde rij kan een p (Holm) "
                       "boven 0,05 hebben. De CSV met alle gepaarde verschillen (sim compare --csv) corrigeert over al "
                       "haar uitkomsten, meer dan deze tabel, dus haar p_holm voor dezelfde uitkomst is minstens even groot.</p>",
        "h_holm": "p (Holm)",
        "reg_none": "<p>Niet beschikbaar: de bestanden bevatten geen reeksen per regio (run met <code>-d series</code> "
                    "of <code>-d events</code>).</p>",
        "reg_intro": "<p>Duurzame plaatsingen over de hele periode per regio: het gemiddelde van elk scenario en het "
                     "gepaarde verschil met zijn 95%-interval. Dit zijn {n} vergelijkingen tegelijk: zonder enig "
                     "effect zouden toch ongeveer {expect} van de {n} intervallen door toeval nul uitsluiten. Daarom "
                     "zijn de gearceerde rijen die waarvan het verschil duidelijk blijft na de correctie van Holm voor "
                     "de {n} regio's (p, Holm: onder 0,05; de kans op zelfs maar één vals alarm over alle regio's "
                     "blijft 5%). Meeneemeffect en netto-effect komen uit de vergelijking op persoonsniveau "
                     "van duurzame plaatsingen (zie de volgende sectie).</p>",
        "one_in_twenty": "één op de twintig",
        "reg_file_none": "<p>Niet beschikbaar: {file} bevat geen reeksen per regio.</p>",
        "h_regions": ("regio", "WSP-structuur", "verschil", "95%-interval", "p (Holm)", "verandering", "meeneemeffect",
                      "netto duurzaam geplaatste mensen (95%-interval)"),
        "reg_net_note": "<p class=\"note\">Netto duurzaam geplaatste mensen (95%-interval over de herhalingen) telt "
                        "mensen, geen plaatsingen: onder de mensen die in beide runs gevolgd zijn, een steekproef "
                        "opgeschaald naar de populatie, wie alleen met het beleid een duurzame plaatsing heeft min wie "
                        "er alleen zonder het beleid een heeft. De kolom 'verschil' is het totaal aan duurzame "
                        "plaatsingen in de reeksen van de regio over iedereen (iemand kan er meer dan één hebben), dus "
                        "de twee kunnen verschillen, zelfs in teken, vooral waar het interval van het nettocijfer nul "
                        "bevat.</p>",
        "cf_none": "<p><strong>{alt}</strong>: niet beschikbaar; beide bestanden moeten met <code>-d events</code> en "
                   "dezelfde <code>--sample</code> gemaakt zijn.</p>",
        "cf_placed": "geplaatst", "cf_durable": "duurzaam geplaatst",
        "cf_text": "<p>Van de mensen die onder <strong>{alt}</strong> geplaatst worden, is {dw} ook in "
                   "<strong>{base}</strong> geplaatst (meeneemeffect). Per herhaling worden {gained} mensen alleen "
                   "met het beleid geplaatst en {lost} alleen in de referentie: een netto-effect van {net} "
                   "geplaatste mensen per herhaling ({ci}), voor de gesimuleerde populatie. Alleen het "
                   "netto-effect, met zijn interval, meet het beleid. De twee bruto-aantallen, en dus het "
                   "meeneemeffect, bevatten ook toeval: als het beleid verandert wie een vacature of een plek "
                   "krijgt, veranderen ook de latere kansen van anderen, zodat een beleid zonder enig effect toch "
                   "veel mensen maar aan één kant geplaatst laat zien en een meeneemeffect ruim onder 100%. Lees de "
                   "bruto-aantallen als bovengrens van wat het beleid veroorzaakt, en het meeneemeffect als "
                   "ondergrens van het werkelijke meeneemeffect.</p>",
        "cf_ci": "95%-interval {range}", "cf_ci_same": "in elke herhaling gelijk: geen interval",
        "no_spread": "geen spreiding",
        "cf_only": "<p class=\"note\">{a} gevolgde mensen komen alleen voor in {alt} en {b} alleen in {base} (bijv. "
                   "extra instroom); zij zijn weggelaten.</p>",
        "cf_note": "<p class=\"note\">Aantallen zijn gevolgde mensen (geen plaatsingen: iemand kan meer dan eens "
                   "geplaatst worden), opgeteld over de herhalingen; meeneemeffect = beide / geplaatst met het beleid; "
                   "netto = (alleen beleid - alleen referentie) per herhaling, opgeschaald naar de gesimuleerde "
                   "populatie door te delen door het gevolgde aandeel (<code>--sample</code>).</p>",
        "h_counterfactual": ("uitkomst", "gevolgd", "beide", "alleen beleid", "alleen referentie", "geen van beide",
                             "meeneemeffect", "netto per herhaling", "95%-interval"),
        "cap_series": "Landelijke plaatsingen {per} en het bestand: gemiddelde over de herhalingen (lijn) en de "
                      "5-95%-spreiding van de herhalingen (band).",
        "cap_forest": "Verschil in duurzame plaatsingen over de hele periode per regio ten opzichte van de referentie, "
                      "met 95%-intervallen (niet gecorrigeerd voor het vergelijken van veel regio's: zonder effect zou "
                      "ongeveer één op de twintig door toeval de verticale lijn missen; de regionale tabel markeert de "
                      "regio's die duidelijk blijven na de correctie van Holm).",
        "cap_forest_metric": "Verschil per regio ten opzichte van de referentie in {metric}, de reeks uit de titel van de "
                             "grafiek (stromen opgeteld over de hele periode, standen aan het eind ervan), met "
                             "95%-intervallen (niet gecorrigeerd voor het vergelijken van veel regio's: zonder effect zou ongeveer één op de "
                             "twintig door toeval de verticale lijn missen; de regionale tabel, over duurzame plaatsingen, "
                             "markeert de regio's die duidelijk blijven na de correctie van Holm).",
        "cap_survival": "Hoe snel mensen na hun eerste profilering geplaatst worden, en hoe lang plaatsingen duren tot "
                        "baanverlies (Kaplan-Meier-schattingen met 95%-banden).",
        "cap_scatter": "Kosten tegenover duurzame plaatsingen: elke stip is één herhaling; grijze lijnen verbinden "
                       "herhalingen met dezelfde toevalsgebeurtenissen; omcirkelde stippen zijn de gemiddelden.",
        "chart_alt": "grafiek {name}",
        "alt_series": "grafiek: landelijke plaatsingen en bestand", "alt_forest": "grafiek: verschil per regio",
        "alt_survival": "grafiek: overlevingscurves (Kaplan-Meier)",
        "alt_scatter": "grafiek: kosten tegenover duurzame plaatsingen",
        "no_charts": "<p>Uit deze bestanden konden geen grafieken worden getekend.</p>",
        "reading": "<p>Elk scenario is {reps} keer gesimuleerd (herhalingen). Herhaling <em>r</em> van elk scenario "
                   "gebruikt voor dezelfde persoon dezelfde toevalsgetallen, zodat de twee runs gelijk beginnen en "
                   "veel van het toeval in hun verschil wegvalt, maar niet alles: zodra het beleid verandert wie een "
                   "vacature of een plek krijgt, komen latere kansen bij andere mensen terecht. Het verschil wordt per "
                   "herhaling berekend en daarna gemiddeld. Het 95%-interval is een t-interval over de {reps} "
                   "gepaarde verschillen; sluit het nul uit, dan is de verandering waarschijnlijk geen toeval, voor "
                   "die ene uitkomst: dit rapport toont veel uitkomsten, en zonder enig effect zou ongeveer één op de "
                   "twintig van hun intervallen toch nul uitsluiten; daarom toont de tabel bij de belangrijkste "
                   "uitkomsten ook p (Holm). De regionale tabel maakt één vergelijking per regio, dus door toeval "
                   "alleen zou ongeveer één op de twintig van haar intervallen nul uitsluiten: ze markeert de regio's "
                   "die duidelijk blijven na de correctie van Holm. Percentages zijn ten opzichte van het gemiddelde "
                   "van de referentie.</p>\n<p>De vergelijking op persoonsniveau gebruikt dezelfde eigenschap: iemand "
                   "die in beide runs gevolgd wordt, is dezelfde persoon, dus te zien is of hij of zij met en zonder "
                   "het beleid geplaatst werd. Kaplan-Meier-curves behandelen mensen die de uitkering op een andere "
                   "manier verlaten, of die aan het eind van de gesimuleerde periode nog wachten, als gecensureerd.</p>",
        "h_provenance": ("bestand", "scenariobestand", "gemaakt (UTC)", "software", "seed", "herhalingen",
                         "formaatversie", "opdrachtregel", "sha256 (eerste 16 hex)"),
        "made": "<p>Rapport gemaakt {made} door {tool} met <code>{cmd}</code>; Python {python}, numpy {numpy}, h5py "
                "{h5py} (HDF5 {hdf5}), matplotlib {mpl}.</p>",
        "run_directly": "python3 -m analysis.report (direct gestart)",
    },
}

# ------------------------------------------------- the charts (charts.py) --

_CHARTS = {
    "en": {
        "wsp_regional": "regional", "wsp_central_sub": "central+sub", "wsp_subregional": "subregional",
        "ch_placements": "Placements by the WSP {per}",
        "ch_caseload": "People on benefit (caseload; axis not from 0)",
        "ch_national": "National totals: mean of {reps} replications, band = 5-95% of replications",
        "ch_forest_x": "paired difference per region, mean over replications with 95% t interval",
        "ch_forest_title": "{metric}: paired difference per region in {what}",
        "ch_whole_flow": "over the whole period ({frm} to {to})",
        "ch_whole_stock": "at the end of the whole period ({to})",
        "ch_whole": "{what}; over the whole period, {frm} to {to}",
        "ch_to_placement": "Time from first profiling to first placement",
        "ch_to_jobloss": "Time from first placement to job loss",
        "ch_band": "{title} (95% band)",
        "ch_by_wsp": "{title}, by WSP structure",
        "ch_months": "months",
        "ch_not_placed": "share not yet placed",
        "ch_not_lost": "share not yet lost the job",
        "ch_km": "Kaplan-Meier estimates (people leaving benefit otherwise, durable or unconverted placements and "
                 "the horizon censor)",
        "ch_durable": "durable placements",
        "ch_cost": "total cost excl. benefits (EUR million)",
        "ch_scatter": "Cost and durable placements per replication (ringed: mean; grey: paired replications)",
    },
    "nl": {
        "wsp_regional": "regionaal", "wsp_central_sub": "centraal+sub", "wsp_subregional": "subregionaal",
        "ch_placements": "Plaatsingen door het WSP {per}",
        "ch_caseload": "Mensen met een uitkering (bestand; as niet vanaf 0)",
        "ch_national": "Landelijke totalen: gemiddelde van {reps} herhalingen, band = 5-95% van de herhalingen",
        "ch_forest_x": "gepaard verschil per regio, gemiddelde over herhalingen met 95%-t-interval",
        "ch_forest_title": "{metric}: gepaard verschil per regio in {what}",
        "ch_whole_flow": "over de hele periode ({frm} tot {to})",
        "ch_whole_stock": "aan het eind van de hele periode ({to})",
        "ch_whole": "{what}; over de hele periode, {frm} tot {to}",
        "ch_to_placement": "Tijd van eerste profilering tot eerste plaatsing",
        "ch_to_jobloss": "Tijd van eerste plaatsing tot baanverlies",
        "ch_band": "{title} (95%-band)",
        "ch_by_wsp": "{title}, naar WSP-structuur",
        "ch_months": "maanden",
        "ch_not_placed": "aandeel nog niet geplaatst",
        "ch_not_lost": "aandeel baan nog niet verloren",
        "ch_km": "Kaplan-Meier-schattingen (wie de uitkering anders verlaat, duurzame of niet omgezette plaatsingen "
                 "en het einde van de periode censureren)",
        "ch_durable": "duurzame plaatsingen",
        "ch_cost": "totale kosten zonder uitkeringen (miljoen EUR)",
        "ch_scatter": "Kosten en duurzame plaatsingen per herhaling (omcirkeld: gemiddelde; grijs: gepaarde herhalingen)",
    },
}

# ------------- what each /series holds: the regional chart's title (charts.py) --
# "sr_" + the series name. English is the file's long_name (models/lm_output.c,
# series_fields; tests/test_analysis.sh checks they agree), so an English chart reads as
# the file does and a Dutch one has its own words.

_SERIES = {
    "en": {
        "sr_caseload": "people on benefit at the end of the month",
        "sr_in_view": "profiled people (in view, waiting, in a programme or in the pool) at the end of the month",
        "sr_waiting": "people in instrument queues at the end of the month",
        "sr_in_programme": "people in trajectory instruments at the end of the month",
        "sr_matching_pool": "people in the matching pool at the end of the month",
        "sr_placed": "people in a placement at the end of the month",
        "sr_placements": "placements during the month",
        "sr_durable": "placements reaching durability during the month",
        "sr_maturity": "cooperation maturity of the region (0..1) at the end of the month",
        "sr_places": "trajectory-instrument places available at the end of the month",
        "sr_exits_work_own": "left benefit for work found on their own during the month",
        "sr_work_entries": "entries into work during the month: own exits plus WSP placements",
        "sr_inflow": "newcomers during the month (regular and shock inflow; a return after a lost job is in "
                     "benefit_starts)",
        "sr_caseload_under27": "people on benefit aged 18-26 at the end of the month",
        "sr_benefit_starts": "benefits started during the month: newcomers and returns after a lost job",
        "sr_benefit_ends": "benefits ended during the month: work, a placement off benefit, any other exit",
        "sr_exits_other": "left benefit for other reasons than work during the month (moving, a partner's income, "
                          "the state pension age, ...)",
    },
    "nl": {
        "sr_caseload": "mensen met een uitkering aan het eind van de maand",
        "sr_in_view": "geprofileerde mensen (in beeld, wachtend, in een programma of in de pool) aan het eind van de "
                      "maand",
        "sr_waiting": "mensen in de wachtrijen van instrumenten aan het eind van de maand",
        "sr_in_programme": "mensen in trajectinstrumenten aan het eind van de maand",
        "sr_matching_pool": "mensen in de matchingpool aan het eind van de maand",
        "sr_placed": "mensen in een plaatsing aan het eind van de maand",
        "sr_placements": "plaatsingen in de maand",
        "sr_durable": "plaatsingen die in de maand duurzaam worden",
        "sr_maturity": "volwassenheid van de samenwerking in de regio (0..1) aan het eind van de maand",
        "sr_places": "beschikbare plaatsen in trajectinstrumenten aan het eind van de maand",
        "sr_exits_work_own": "uit de uitkering naar zelf gevonden werk in de maand",
        "sr_work_entries": "instroom in werk in de maand: eigen uitstroom plus plaatsingen door het WSP",
        "sr_inflow": "nieuwe instroom in de maand (gewone instroom en instroom door een schok; terugkeer na "
                     "baanverlies valt onder benefit_starts)",
        "sr_caseload_under27": "mensen van 18-26 jaar met een uitkering aan het eind van de maand",
        "sr_benefit_starts": "uitkeringen gestart in de maand: nieuwkomers en terugkeer na baanverlies",
        "sr_benefit_ends": "uitkeringen beëindigd in de maand: werk, een plaatsing buiten de uitkering, elke andere "
                           "uitstroom",
        "sr_exits_other": "uit de uitkering om een andere reden dan werk in de maand (verhuizing, inkomen van een "
                          "partner, de AOW-leeftijd, ...)",
    },
}

# ---------------- the parameter-uncertainty section (uncertainty_report.py) --

_UNCERTAINTY = {
    "en": {
        "u_heading": "Parameter uncertainty",
        "u_intro": "Every replication ran with its own draw of {k} uncertain parameters (the same draw in every "
                   "scenario), {origin}. The interval of a draw's effect holds the effect of a new draw of chance and "
                   "parameters with the coverage shown (the range of the replications below 39 of them, 95% from 39 "
                   "on); the interval of the mean says how precisely the average effect is known. P(better) is the "
                   "share of draws in which the alternative is better, with its 95% Clopper-Pearson interval.",
        "u_origin_cal": "from the scenario's uncertainty list: {a} from ranges set beforehand and {c} with the "
                        "spread that the fit to Dutch history gives, drawn jointly (docs/calibration.md)",
        "u_origin": "from the ranges declared in the scenario's uncertainty list: ranges set beforehand, not fitted to "
                    "Dutch history, and the calibrated parameters are not drawn",
        # /summary fields of the table: "u_" + field
        "u_durable_placements": "durable placements", "u_placements": "placements",
        "u_cost_per_durable": "cost per durable placement (EUR)", "u_cost_total": "activation cost (EUR)",
        "u_benefit_months": "benefit months", "u_caseload_end": "caseload at the end",
        "u_head": ("metric", "mean effect", "95% interval of the mean", "a draw's effect (coverage)",
                   "P({alt} better) [95% interval]", "n"),
        "u_interval": "[{lo}, {hi}]",
        # the ranking by durable placements
        "u_undefined": "Whether {alt} beats {base} cannot be told: the effect is undefined.",
        "u_share": "in {p}% of the {n} parameter draws (95% interval {lo}% to {hi}%)",
        "u_robust": "The ranking is robust to the parameter uncertainty: {who} has more durable placements than "
                    "{other} {share}.",
        "u_too_few": "{who} has more durable placements than {other} {share}: {n} draws are too few to tell whether "
                     "the ranking is robust to the parameter uncertainty; run more replications ({more}).",
        "u_settle": "about {n} would settle it if the share held",
        "u_more": "more would tell",
        "u_not_robust": "The ranking is not robust to the parameter uncertainty: {who} has more durable placements "
                        "than {other} {share}, so which scenario is better depends on chance and on assumptions we "
                        "do not know well (docs/sensitivity.md shows which).",
    },
    "nl": {
        "u_heading": "Onzekerheid in de parameters",
        "u_intro": "Elke herhaling liep met een eigen trekking van {k} onzekere parameters (in elk scenario dezelfde "
                   "trekking), {origin}. Het interval voor het effect van één trekking bevat het effect van een nieuwe "
                   "trekking van toeval en parameters met de getoonde dekking (het bereik van de herhalingen als het "
                   "er minder dan 39 zijn, 95% vanaf 39 herhalingen); het interval van het gemiddelde zegt hoe "
                   "nauwkeurig het gemiddelde effect bekend is. P(beter) is het aandeel trekkingen waarin het "
                   "alternatief beter is, met het 95%-interval volgens Clopper-Pearson.",
        "u_origin_cal": "uit de onzekerheidslijst van het scenario: {a} uit vooraf vastgestelde bereiken en {c} met "
                        "de spreiding die de kalibratie op de Nederlandse geschiedenis geeft, samen getrokken (docs/calibration.md)",
        "u_origin": "uit de bereiken in de onzekerheidslijst van het scenario: vooraf vastgestelde bereiken, niet "
                    "gefit op de Nederlandse geschiedenis; de gekalibreerde parameters worden niet getrokken",
        "u_durable_placements": "duurzame plaatsingen", "u_placements": "plaatsingen",
        "u_cost_per_durable": "kosten per duurzame plaatsing (EUR)", "u_cost_total": "activeringskosten (EUR)",
        "u_benefit_months": "uitkeringsmaanden", "u_caseload_end": "bijstandsbestand aan het eind",
        "u_head": ("maatstaf", "gemiddeld effect", "95%-interval van het gemiddelde", "effect van één trekking (dekking)",
                   "P({alt} beter) [95%-interval]", "n"),
        "u_interval": "[{lo}; {hi}]",
        "u_undefined": "Of {alt} beter is dan {base}, valt niet te zeggen: het effect is niet gedefinieerd.",
        "u_share": "in {p}% van de {n} parametertrekkingen (95%-interval {lo}% tot {hi}%)",
        "u_robust": "De rangorde is bestand tegen de onzekerheid in de parameters: {who} heeft meer duurzame "
                    "plaatsingen dan {other} {share}.",
        "u_too_few": "{who} heeft meer duurzame plaatsingen dan {other} {share}: {n} trekkingen zijn te weinig om te "
                     "zeggen of de rangorde bestand is tegen de onzekerheid in de parameters; gebruik meer herhalingen "
                     "({more}).",
        "u_settle": "ongeveer {n} geven uitsluitsel als het aandeel gelijk blijft",
        "u_more": "meer trekkingen geven uitsluitsel",
        "u_not_robust": "De rangorde is niet bestand tegen de onzekerheid in de parameters: {who} heeft meer duurzame "
                        "plaatsingen dan {other} {share}, dus welk scenario beter is, hangt af van toeval en van "
                        "aannames die we niet goed kennen (docs/sensitivity.md laat zien welke).",
    },
}

_TABLES = (_VERDICT, _REPORT, _CHARTS, _SERIES, _UNCERTAINTY)
T = {lang: {k: v for t in _TABLES for k, v in t[lang].items()} for lang in LANGS}
assert len(T["en"]) == sum(len(t["en"]) for t in _TABLES), "a key in two of the tables"
assert all(set(T[lang]) == set(T["en"]) for lang in LANGS), "a text missing in one language"


def tr(lang, key, **kw):
    """The text `key` in `lang`, its {fields} filled from kw."""
    return T[lang][key].format(**kw)


def step_months(f):
    """The months per step of an output file's /series: 1, or N from the flows' unit
    'persons per (N months)' (models/lm_output.c); 1 when the file says nothing."""
    ds = f.get("series/placements")
    unit = ds.attrs.get("units", b"") if ds is not None else b""
    unit = unit.decode() if isinstance(unit, bytes) else str(unit)
    m = re.fullmatch(r"persons per \((\d+) months\)", unit)
    return int(m.group(1)) if m else 1


# a series description's step ("during the month", "aan het eind van de periode van 3 maanden"):
# (stock or flow, pattern) per language, the stock's first (for_period)
_STEP = {
    "en": (("stock", r"at the end of the (?:month|\d+-month period)"), ("flow", r"during the (?:month|\d+-month period)")),
    "nl": (("stock", r"aan het eind van de (?:maand|periode van \d+ maanden)"), ("flow", r"in de (?:maand|periode van \d+ maanden)")),
}


def for_period(text, lang, frm, to):
    """A series description written for one step ("placements reaching durability during the
    month", or "the 3-month period" as models/lm_output.c writes a long_name for a longer
    series step) said for the whole period frm to to, as
    a total over it or a stock at its end ("... over the whole period (2019-01-01 to
    2029-01-01)"); a description without a step is followed by the period."""
    for kind, pattern in _STEP[lang]:
        if re.search(pattern, text):
            return re.sub(pattern, lambda _: tr(lang, "ch_whole_" + kind, frm=frm, to=to), text, count=1)
    return tr(lang, "ch_whole", what=text, frm=frm, to=to)


def step_words(months, lang):
    """{'per': 'per month' | 'per 3 months', 'step': 'month' | '3-month period'} in lang:
    the words of the chart titles and captions for a series step of `months`."""
    if lang == "nl":
        return {"per": "per maand", "step": "maand"} if months == 1 else \
               {"per": "per %d maanden" % months, "step": "periode van %d maanden" % months}
    return {"per": "per month", "step": "month"} if months == 1 else \
           {"per": "per %d months" % months, "step": "%d-month period" % months}


def wsp_label(lang, name):
    """A WSP structure as the files name it ('regional', 'central+sub', 'subregional', with or
    without ' WSP' after it) in lang; a name without a text of its own stays as it is."""
    base, wsp = (name[:-4], " WSP") if name.endswith(" WSP") else (name, "")
    key = "wsp_" + base.replace("+", "_")
    return (T[lang][key] if key in T[lang] else base) + wsp


def word(lang, key, plural):
    """One of a (singular, plural) pair: 'rises' or 'rise', 'stijgt' or 'stijgen'."""
    return T[lang][key][1 if plural else 0]


def count(lang, n, key):
    """n and the noun `key` agreeing with it: '1 assumption', '34 assumptions', '1 aanname'."""
    return "%s %s" % (num(n, 0, lang=lang), word(lang, key, n != 1))


# ------------------------------------------------ numbers in each language --

def finite(x):
    """A real number (numpy's included) that is neither NaN nor infinite."""
    return isinstance(x, numbers.Real) and math.isfinite(x)


def dutch(s):
    """'1,234.5' -> '1.234,5': Dutch thousands points and decimal comma."""
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def num(x, digits=0, plus=False, lang="en"):
    """x with thousands separators, a real minus sign and, with plus, a '+' sign."""
    if not finite(x):
        return tr(lang, "n_a")
    s = "{:,.{d}f}".format(abs(x), d=digits)
    zero = float(s.replace(",", "")) == 0
    s = dutch(s) if lang == "nl" else s
    return ("\u2212" if x < 0 and not zero else "+" if plus and x > 0 and not zero else "") + s


def safe_digits(digits, *xs):
    """`digits`, or more where a nonzero x of xs would be written as 0 with `digits`
    decimals: an interval's bound of -0.25 is "\u22120.3", never "0", which would hide its
    sign (at most 9 decimals)."""
    d = digits
    for x in xs:
        while finite(x) and x != 0 and d < 9 and float("%.*f" % (d, abs(x))) == 0:
            d += 1
    return d


def share_digits(digits, end, *xs):
    """`digits`, or more where an x of xs strictly between 0 and `end` (1 for a share, 100
    for a percentage) would be written as 0 or as `end` with `digits` decimals: a
    Clopper-Pearson bound of 0.9958 is "0.996", never "1.00", which would claim that every
    draw agrees (at most 6 decimals)."""
    d = digits
    for x in xs:
        while finite(x) and 0 < x < end and d < 6 and float("%.*f" % (d, x)) in (0.0, float(end)):
            d += 1
    return d


def bounds(lo, hi, digits=0, plus=False, lang="en"):
    """(lo, hi) of an interval written as num() writes them, both with `digits` decimals,
    or more where a nonzero bound would otherwise read 0 (safe_digits): every interval of
    the report is written through here, so "0 to +4" never stands for -0.25 to 3.75."""
    d = safe_digits(digits, lo, hi)
    return num(lo, d, plus, lang), num(hi, d, plus, lang)


def decimals(x):
    """Decimals that keep about three significant figures for small numbers; none for an
    exact zero (0, not 0.000: nothing to show)."""
    a = abs(x) if finite(x) else 0
    return 0 if a >= 100 or a == 0 else 1 if a >= 10 else 2 if a >= 0.1 else 3
