/* test_lm_handlers.c: unit tests of the labour-market model's event handlers
 * (models/lm_model.c), one event kind at a time, on a tiny workspace: two regions,
 * a few people, parameters from scenarios/base.cfg with every hazard and
 * probability that a test does not name set to 0 or 1.
 *
 * Why this file includes lm_model.c: the handlers (on_inflow, on_person,
 * on_vacancy, try_match, on_profile_round, on_coach_end, on_regime, set_state,
 * schedule_next, leave_model, ...) are static, and the model-level tests (model
 * facts, golden checksums) pass even when some of them are wrong in ways that only
 * move numbers a little. Including the source gives this test the handlers and the
 * workspace layout without widening the model's interface. The test defines every
 * symbol of lm_model.c itself, so the linker never takes lm_model.o from libsim.a.
 *
 * What is checked: the state each transition makes, the counters it moves (flows,
 * stocks, costs), which events it schedules and which it does not, stale events
 * being ignored, and after every step the invariants of the whole workspace
 * (fx_consistent): each person in exactly the index their state calls for, the
 * FIFO links, per-state counts, places in use within capacity and no one waiting
 * for a free place, benefit stocks, at most one live event per person, the free list.
 * Outcomes are made certain by the parameters (probabilities 0 or 1, rates 0 or
 * huge), or a check states a fact that holds for any draw. Two checks read draws
 * of the fixture's fixed seed (a Poisson count within 5 standard deviations of
 * its mean; invitations spread over most people): deterministic, not flaky, but
 * a change of the random stream may need a look at them. */
#define _DEFAULT_SOURCE   /* mkstemp, realpath (this file's own) */
#include "../models/lm_model.c"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "../sim/core/engine.h"
#include "../sim/io/config.h"
#include "check.h"

#define PLACE_BIT(i) (1u << (LM_NTRAJ + (i)))   /* portfolio bits, as in lm_config.c */
#define COACH_BIT (1u << 13)
#define SUBSIDY_BIT (1u << 14)
#define ALL_TRAJ ((1u << LM_NTRAJ) - 1u)
#define NREG 2

/* ------------------------------------------------------------- fixture -- */

typedef struct {
    lm_params p;       /* a copy of the template, changed by each test */
    lm_policy pol;     /* p.policy points here */
    lm_ws    *w;
    sim_ctx  *ctx;
} fixture;

static lm_params *base;              /* scenarios/base.cfg as configured */
static const sim_schema no_schema;   /* detail summary: no trajectory rows */
static fixture F;

/* Parameters that make every outcome a test does not set certain: no hazards, no
 * own search, no inflow, no vacancies, no invitations, acceptance 1, no costs by
 * chance; two regions with one place of every instrument and regular jobs only. */
static void fx_params(fixture *f)
{
    f->p = *base;
    f->pol = *base->policy;
    f->p.policy = &f->pol;
    f->pol.nprog = f->pol.nshock = 0;
    f->pol.maturity_offset = 0;
    lm_params *p = &f->p;
    p->nregions = NREG;
    p->burn_in = 0;
    p->end = 3650;
    p->inflow_per_day = 0;
    p->in_view_share = 0;
    p->other_exit = p->relapse = p->recover = p->job_loss = 0;
    for (int i = 0; i < 3; i++) p->dist_mult[i] = 0;   /* no own search unless a test turns it on */
    for (int y = 0; y < 2; y++)
        for (int d = 0; d < 3; d++) p->search_max_at[y][d] = 1.0;
    p->vacancy_max = 1.0;
    p->demand = (lm_path){.n = 1, .v = {1.0}};
    p->tension.n = p->inflow_level.n = 0;
    p->noshow = p->unwilling = p->maturity_reach = 0;
    p->invites_per_fte = 0.5;   /* per day: 3.5 invitations per FTE and round, exact in binary */
    p->vacancies_per_1000 = 0;
    p->werkcheque_uptake = p->werkbonus_uptake = 0;
    p->subsidy_threshold = 0;
    p->accept_base = 1, p->accept_fit = 0, p->accept_language = 0, p->act = 1, p->subsidy_accept = 1;
    p->carving_share = 0;
    p->awareness = 1, p->awareness_maturity = 0, p->account_reach = 0, p->willing = 1;
    for (int i = 0; i < 3; i++) p->visibility_pool[i] = 1;
    p->visibility_no_sharing = 1;
    for (int k = 0; k < LM_NTRAJ; k++) {
        lm_traj_params *t = &p->traj[k];
        t->dropout = t->improve = t->job_guarantee = t->hard_gain = t->soft_gain = 0;
    }
    for (int i = 0; i < LM_NPLACE; i++) p->place[i].accept = 1;
    for (int r = 0; r < NREG; r++) {
        lm_region_params *rp = &p->region[r];
        *rp = base->region[r];
        snprintf(rp->name, sizeof rp->name, "region%d", r);
        rp->tightness = 1.3;
        rp->maturity = 0.5;
        rp->client_managers = 0;
        rp->portfolio = ALL_TRAJ | PLACE_BIT(LM_P_REGULAR);
        for (int k = 0; k < LM_NTRAJ; k++) rp->places[k] = 1;
        rp->jobcoach_places = rp->basisbaan_places = 0;
    }
}

/* ------------------------------------------------------- event queue -- */

#define MAXEV 8192
static sim_event evbuf[MAXEV];   /* the pending events at the last fx_list */
static size_t nev;

static int record_event(const sim_event *ev, void *user)
{
    (void)user;
    if (nev < MAXEV) evbuf[nev++] = *ev;
    return 1;
}

/* Copy the pending events into evbuf (a purge that keeps everything). */
static void fx_list(fixture *f)
{
    nev = 0;
    sim_ctx_purge(f->ctx, record_event, NULL);
}

static int drop_all(const sim_event *ev, void *user)
{
    (void)ev, (void)user;
    return 0;
}

static void fx_clear(fixture *f) { sim_ctx_purge(f->ctx, drop_all, NULL); }

static sim_event fx_event(double t, uint32_t kind, uint32_t entity, uint32_t stamp, uint32_t arg)
{
    return (sim_event){t, UINT64_MAX, kind, entity, stamp, arg};
}

static int drop_one(const sim_event *ev, void *user) { return ev->order != *(const uint64_t *)user; }

/* Pending events of `kind` about `entity` (any entity if LM_NONE); for person
 * events only live ones (stamp = version). The last one found goes to *out. */
static int fx_count(fixture *f, uint32_t kind, uint32_t entity, sim_event *out)
{
    fx_list(f);
    int n = 0;
    if (out) *out = fx_event(-INFINITY, kind, entity, 0, 0);   /* none found: firing it fails a check */
    for (size_t i = 0; i < nev; i++) {
        const sim_event *e = &evbuf[i];
        if (e->kind != kind || (entity != LM_NONE && e->entity != entity)) continue;
        if (kind == EV_PERSON && e->stamp != f->w->people[e->entity].version) continue;
        if (out) *out = *e;
        n++;
    }
    return n;
}

/* Move the clock to t; 0 (a failed check) if t is before now: the clock never runs back. */
static int fx_at(fixture *f, double t)
{
    if (t < sim_ctx_now(f->ctx)) {   /* counted only when it fails */
        CHECK(t >= sim_ctx_now(f->ctx), "the clock would run back from %g to %g (an expected event is missing)", sim_ctx_now(f->ctx), t);
        return 0;
    }
    sim_ctx_set_start(f->ctx, t);
    return 1;
}

/* Handle one event as the engine does: clock to its time, then lm_handle. An
 * event still in the queue is taken out first (the engine pops it). */
static void fx_fire(fixture *f, sim_event ev)
{
    sim_ctx_purge(f->ctx, drop_one, &ev.order);
    if (fx_at(f, ev.time)) lm_handle(f->w, f->ctx, &ev);
}

/* A person event for s at time t with the current stamp: as if schedule_next had drawn `what`. */
static sim_event fx_person_event(fixture *f, uint32_t s, double t, int what)
{
    return fx_event(t, EV_PERSON, s, f->w->people[s].version, (uint32_t)what);
}

/* Fire s's live pending event; returns its kind (T_*), or -1 if s has none. */
static int fx_fire_next(fixture *f, uint32_t s)
{
    sim_event ev;
    if (fx_count(f, EV_PERSON, s, &ev) != 1) return -1;
    fx_fire(f, ev);
    return (int)ev.arg;
}

/* Start a replication with n0 and n1 people (all not in view, no pending event)
 * and an empty event queue; the clock at 0. */
static void fx_start(fixture *f, int n0, int n1)
{
    f->p.region[0].caseload = n0;
    f->p.region[1].caseload = n1;
    f->w = lm_ws_create(&f->p);
    f->ctx = sim_ctx_create(&no_schema, 12345, SIM_DETAIL_SUMMARY, 0.0);
    if (!f->w || !f->ctx) { printf("out of memory\n"); exit(1); }
    lm_start(f->w, f->ctx);
    fx_clear(f);
}

static void fx_stop(fixture *f)
{
    lm_ws_destroy(f->w);
    sim_ctx_destroy(f->ctx);
    f->w = NULL;
    f->ctx = NULL;
}

/* ------------------------------------------------------------- people -- */

static lm_person *fx_person(fixture *f, uint32_t s) { return &f->w->people[s]; }

/* Give person s (not in view) the attributes a routing needs: distance to work,
 * hard and soft skill `skill`, barrier bits; aged 27-39, no flags, a benefit spell
 * starting now. Keeps the region's count of young people on benefit right. */
static void fx_shape(fixture *f, uint32_t s, int distance, double skill, unsigned barriers)
{
    lm_person *p = fx_person(f, s);
    if (p->state != LM_NOT_IN_VIEW) { printf("fx_shape: person %u is not out of view\n", s); exit(1); }
    f->w->region[p->region].young_on_benefit -= p->age_band == 0;
    p->distance = (uint8_t)distance;
    p->hard = p->soft = (float)skill;
    p->barriers = (uint8_t)barriers;
    p->age_band = 1;
    p->flags = 0;
    p->motivation = 0.5f;
    p->benefit_start = sim_ctx_now(f->ctx);
}

/* Shape s and invite them (the profiling round's step for one person). */
static void fx_invite(fixture *f, uint32_t s, int distance, double skill, unsigned barriers)
{
    fx_shape(f, s, distance, skill, barriers);
    invite(f->w, fx_person(f, s));
}

/* Routed to the pool: ready, skilled (top quality band: a candidate for any vacancy). */
static void fx_to_pool(fixture *f, uint32_t s) { fx_invite(f, s, 0, 0.9, 0); }

/* Routed to barrier removal: not placeable now, with a debt barrier. */
static void fx_to_barrier(fixture *f, uint32_t s) { fx_invite(f, s, 2, 0.5, LM_B_DEBTS); }

/* Routed to workfit: needs activation, soft skill below soft_needed. */
static void fx_to_workfit(fixture *f, uint32_t s) { fx_invite(f, s, 1, 0.1, 0); }

/* ----------------------------------------------------------- invariants -- */

static char why[256];

static int fail_why(const char *fmt, uint32_t a, int b)
{
    snprintf(why, sizeof why, fmt, a, b);
    return 0;
}

/* s is in the set at its link position. */
static int in_set(const lm_idset *set, const lm_person *p, uint32_t s)
{
    return p->link < set->n && set->items[p->link] == s;
}

/* The queue's links run head -> tail in n steps with matching back links. */
static int fifo_ok(const lm_fifo *q, const lm_person *people)
{
    uint32_t prev = LM_NONE, s = q->head, n = 0;
    while (s != LM_NONE && n <= q->n) {
        if (people[s].link2 != prev) return 0;
        prev = s;
        s = people[s].link;
        n++;
    }
    return n == q->n && prev == q->tail;
}

static int in_fifo(const lm_fifo *q, const lm_person *people, uint32_t s)
{
    uint32_t x = q->head;
    for (uint32_t n = 0; x != LM_NONE && n < q->n; n++, x = people[x].link)
        if (x == s) return 1;
    return 0;
}

/* Live person events of s in evbuf (fx_list first); the earliest time into *t. */
static int live_events(const fixture *f, uint32_t s, double *t)
{
    int n = 0;
    for (size_t i = 0; i < nev; i++)
        if (evbuf[i].kind == EV_PERSON && evbuf[i].entity == s && evbuf[i].stamp == f->w->people[s].version) {
            *t = evbuf[i].time;
            n++;
        }
    return n;
}

static int terminal(int state) { return state == LM_DURABLE || state == LM_EXIT_WORK || state == LM_EXIT_OTHER; }

/* Per person: the index their state calls for, events, and tallies for the region checks. */
static int person_ok(const fixture *f, uint32_t s, int32_t count[][LM_NSTATES], double benefit[][2],
                     int used[][LM_NTRAJ], int coach[], int basis[])
{
    const lm_ws *w = f->w;
    const lm_person *p = &w->people[s];
    const region_ws *r = &w->region[p->region];
    double t = 0;
    int live = live_events(f, s, &t);
    count[p->region][p->state]++;
    if (terminal(p->state)) return live == 0 ? 1 : fail_why("person %u left the model with %d live events", s, live);
    if (on_benefit_state(p, &f->p)) {
        benefit[p->region][0] += 1;
        benefit[p->region][1] += p->age_band == 0;
    }
    if (p->state == LM_NOT_IN_VIEW && !in_set(&r->not_in_view, p, s)) return fail_why("person %u not in the not-in-view set (state %d)", s, p->state);
    if (p->state == LM_POOL && !in_set(&r->pool[band_of(quality(p))], p, s)) return fail_why("person %u not in their pool band (state %d)", s, p->state);
    if (p->state == LM_WAITING && !in_fifo(&r->queue[p->instrument], w->people, s)) return fail_why("person %u not in their queue (instrument %d)", s, p->instrument);
    if (p->state == LM_IN_PROGRAMME) used[p->region][p->instrument]++;
    if (p->state == LM_PLACED) {
        coach[p->region] += (p->flags & LM_F_JOBCOACH) != 0;
        basis[p->region] += p->instrument == LM_P_BASISBAAN;
    }
    if (live > 1) return fail_why("person %u has %d live events", s, live);
    if (live == 0 && p->stage_end < f->p.end + 1.0) return fail_why("person %u (state %d) has a stage end but no live event", s, p->state);
    if (live == 1 && t > p->stage_end) return fail_why("person %u (state %d): event after the stage end", s, p->state);
    return 1;
}

/* Per region: counts, index sizes, queue links, capacity, benefit stocks. */
static int region_ok(const fixture *f, int g, int32_t count[][LM_NSTATES], double benefit[][2],
                     int used[][LM_NTRAJ], const int coach[], const int basis[])
{
    const lm_ws *w = f->w;
    const region_ws *r = &w->region[g];
    const int32_t *c = w->st.count[g];
    uint32_t pool = 0, waiting = 0;
    for (int st = 0; st < LM_DURABLE; st++)
        if (c[st] != count[g][st]) return fail_why("region %u: count of state %d is off", (uint32_t)g, st);
    for (int st = LM_DURABLE; st < LM_NOT_ARRIVED; st++)
        if (c[st] < count[g][st]) return fail_why("region %u: count of terminal state %d below the people in it", (uint32_t)g, st);
    int32_t arriving = (int32_t)(r->end_inflow - r->next_inflow + r->end_shock - r->next_shock);
    if (c[LM_NOT_ARRIVED] != arriving) return fail_why("region %u: %d not arrived, pending arrivals differ", (uint32_t)g, c[LM_NOT_ARRIVED]);
    if (r->not_in_view.n != (uint32_t)c[LM_NOT_IN_VIEW]) return fail_why("region %u: not-in-view set size %d", (uint32_t)g, (int)r->not_in_view.n);
    for (int b = 0; b < LM_BANDS; b++) pool += r->pool[b].n;
    if (pool != (uint32_t)c[LM_POOL]) return fail_why("region %u: pool bands hold %d", (uint32_t)g, (int)pool);
    for (int k = 0; k < LM_NTRAJ; k++) {
        waiting += r->queue[k].n;
        if (!fifo_ok(&r->queue[k], w->people)) return fail_why("region %u: queue %d links broken", (uint32_t)g, k);
        if (r->used[k] != used[g][k]) return fail_why("region %u: used places of %d differ from people in it", (uint32_t)g, k);
        if (r->used[k] > r->places[k]) return fail_why("region %u: instrument %d over capacity", (uint32_t)g, k);
        if (r->queue[k].n > 0 && r->used[k] < r->places[k] && !r->suspended)
            return fail_why("region %u: people wait for instrument %d while a place is free", (uint32_t)g, k);
    }
    if (waiting != (uint32_t)c[LM_WAITING]) return fail_why("region %u: queues hold %d", (uint32_t)g, (int)waiting);
    if (r->coach_used != coach[g] || r->coach_used > r->coach_places) return fail_why("region %u: coach places in use %d", (uint32_t)g, r->coach_used);
    if (r->basis_used != basis[g] || r->basis_used > r->basis_places) return fail_why("region %u: basisbanen in use %d", (uint32_t)g, r->basis_used);
    if (fabs(r->on_benefit - benefit[g][0]) > 1e-9) return fail_why("region %u: on benefit off (%d counted)", (uint32_t)g, (int)benefit[g][0]);
    if (fabs(r->young_on_benefit - benefit[g][1]) > 1e-9) return fail_why("region %u: young on benefit off (%d counted)", (uint32_t)g, (int)benefit[g][1]);
    return 1;
}

/* The free list holds exactly the slots of people who left. */
static int free_list_ok(const fixture *f, const int32_t count[][LM_NSTATES])
{
    uint32_t n = 0, left = 0;
    for (int g = 0; g < NREG; g++) left += (uint32_t)(count[g][LM_DURABLE] + count[g][LM_EXIT_WORK] + count[g][LM_EXIT_OTHER]);
    for (uint32_t s = f->w->free_head; s != LM_NONE; s = f->w->people[s].link, n++)
        if (n > f->w->npeople || !terminal(f->w->people[s].state)) return fail_why("free list: slot %u is not free (%d)", s, 0);
    return n == left ? 1 : fail_why("free list holds %u slots, %d people left", n, (int)left);
}

/* Every invariant of the workspace; on failure `why` says which. */
static int fx_consistent(fixture *f)
{
    int32_t count[NREG][LM_NSTATES] = {{0}};
    double benefit[NREG][2] = {{0}};
    int used[NREG][LM_NTRAJ] = {{0}}, coach[NREG] = {0}, basis[NREG] = {0};
    fx_list(f);
    for (uint32_t s = 0; s < f->w->npeople; s++)
        if (!person_ok(f, s, count, benefit, used, coach, basis)) return 0;
    for (int g = 0; g < NREG; g++)
        if (!region_ok(f, g, count, benefit, used, coach, basis)) return 0;
    return free_list_ok(f, count);
}

#define CHECK_CONSISTENT(f, where) CHECK(fx_consistent(f), "%s: %s", where, why)

/* --------------------------------------------------------------- tests -- */

/* A fresh fixture with the default parameters (tests change F.p before fx_start). */
static fixture *fx_new(void)
{
    fx_params(&F);
    return &F;
}

/* EV_PERSON with a stamp the person's version has moved past changes nothing. */
static void test_stale_person_event(void)
{
    fixture *f = fx_new();
    fx_start(f, 3, 0);
    fx_to_pool(f, 0);
    CHECK_CONSISTENT(f, "stale: set-up");
    lm_person before = *fx_person(f, 0);
    lm_stats st = f->w->st;
    size_t pending = sim_ctx_pending(f->ctx);
    sim_event ev = fx_event(5.0, EV_PERSON, 0, before.version - 1, T_OTHER_EXIT);
    fx_fire(f, ev);
    CHECK(memcmp(&before, fx_person(f, 0), sizeof before) == 0, "a stale event leaves the person as they were");
    CHECK(memcmp(&st, &f->w->st, sizeof st) == 0, "a stale event moves no counter");
    CHECK(sim_ctx_pending(f->ctx) == pending, "a stale event schedules nothing");
    sim_event odd = fx_event(6.0, 99, 0, 0, 0);   /* an unknown kind: ignored too */
    fx_fire(f, odd);
    CHECK(memcmp(&st, &f->w->st, sizeof st) == 0 && sim_ctx_pending(f->ctx) == pending, "an unknown event kind is ignored");
    CHECK_CONSISTENT(f, "stale: after");
    fx_stop(f);
}

/* boost_at: nobody has a search boost before completing an instrument, at any
 * time, the burn-in's negative times included, whatever the first instrument's
 * boost; after a completion the boost of that instrument holds until its end. */
static void test_boost(void)
{
    fixture *f = fx_new();
    f->p.traj[LM_BARRIER].boost = 2.0;   /* the first instrument's: what a stale default would read */
    f->p.traj[LM_WORKFIT].boost = 1.5;
    fx_start(f, 1, 0);
    lm_person *p = fx_person(f, 0);
    CHECK(boost_at(f->w, p, -100.0) == 1.0 && boost_at(f->w, p, 0.0) == 1.0 && boost_at(f->w, p, 100.0) == 1.0,
          "never trained: no boost in the burn-in, at the origin or after (%g, %g, %g)",
          boost_at(f->w, p, -100.0), boost_at(f->w, p, 0.0), boost_at(f->w, p, 100.0));
    p->boost_instr = LM_WORKFIT;
    p->boost_until = 50.0f;
    CHECK(boost_at(f->w, p, 49.0) == 1.5 && boost_at(f->w, p, 50.0) == 1.0, "a workfit boost holds until its end");
    fx_stop(f);
}

/* lm_month_start: the first day of the k-th calendar month after the origin's
 * month, in days since the origin, across year ends, leap years and negative k,
 * for an origin on the first of a month and one in mid-month. */
static void test_month_start(void)
{
    long o = 0;
    CHECK(sim_date_parse("2019-01-01", &o) == 0, "a date parses");
    CHECK(lm_month_start(o, 0) == 0 && lm_month_start(o, 1) == 31 && lm_month_start(o, 2) == 59
          && lm_month_start(o, -1) == -31 && lm_month_start(o, -12) == -365 && lm_month_start(o, 13) == 396
          && lm_month_start(o, 14) == 425, "from 2019-01-01: Feb 1, Mar 1, Dec 1 2018, Jan 1 2018, Feb 1 and Mar 1 2020 (leap)");
    CHECK(lm_month_start(o, -25) == -761, "25 months back: 2016-12-01 (%g)", lm_month_start(o, -25));
    CHECK(sim_date_parse("2020-01-15", &o) == 0 && lm_month_start(o, 0) == -14 && lm_month_start(o, 2) == 46,
          "from 2020-01-15: its month began 14 days before; 2020-03-01 is 46 days after");
}

/* schedule_next: one live event, the earliest of the stage end and the competing
 * risks, of the kind whose rate alone is on; none past the end; version moves. */
static void test_schedule_next(void)
{
    fixture *f = fx_new();
    fx_start(f, 2, 0);
    fx_at(f, 10.0);
    fx_to_pool(f, 0);
    lm_person *p = fx_person(f, 0);
    sim_event ev;
    CHECK(fx_count(f, EV_PERSON, 0, &ev) == 1 && ev.arg == T_STAGE_END && ev.time == p->stage_end,
          "pool: the one live event is the stage end (arg %u)", ev.arg);
    CHECK(p->stage_end >= 10.0 + f->p.pool_max_days && p->stage_end <= 10.0 + f->p.pool_max_days + STAGE_JITTER_DAYS,
          "pool spell ends after pool_max plus at most a week: %g", p->stage_end);
    struct { double *rate; int what; const char *name; } risks[] = {
        {&f->p.other_exit, T_OTHER_EXIT, "other exit"},
        {&f->p.relapse, T_RELAPSE, "relapse"},
        {&f->p.dist_mult[0], T_SELF_EXIT, "own search"},
    };
    for (size_t i = 0; i < SIM_ARRAY_LEN(risks); i++) {
        uint32_t v = p->version;
        *risks[i].rate = 1e9;
        schedule_next(f->w, p);
        if (risks[i].what == T_SELF_EXIT) CHECK(search_bound(f->w, p) > 0, "own search: a positive thinning bound");
        *risks[i].rate = 0;
        CHECK(p->version == v + 1, "%s: schedule_next moves the version", risks[i].name);
        CHECK(fx_count(f, EV_PERSON, 0, &ev) == 1 && ev.arg == (uint32_t)risks[i].what && ev.time < p->stage_end
              && ev.time >= 10.0, "%s: the only live event is that risk, before the stage end (arg %u)", risks[i].name, ev.arg);
    }
    f->p.recover = 1e9;   /* recovery applies only to the not-placeable-now, out of the pool */
    schedule_next(f->w, p);
    f->p.recover = 0;
    CHECK(fx_count(f, EV_PERSON, 0, &ev) == 1 && ev.arg == T_STAGE_END, "recovery does not apply to a ready person");
    p->stage_end = f->p.end + 10.0;
    uint32_t v = p->version;
    schedule_next(f->w, p);
    CHECK(fx_count(f, EV_PERSON, 0, NULL) == 0 && p->version == v + 1, "nothing is scheduled after the end; the old event is stale");
    p->stage_end = 200.0;
    schedule_next(f->w, p);
    CHECK_CONSISTENT(f, "schedule_next");

    fx_to_barrier(f, 1);   /* in a programme: drop-out */
    f->p.traj[LM_BARRIER].dropout = 1e9;
    schedule_next(f->w, fx_person(f, 1));
    f->p.traj[LM_BARRIER].dropout = 0;
    CHECK(fx_person(f, 1)->state == LM_IN_PROGRAMME && fx_count(f, EV_PERSON, 1, &ev) == 1 && ev.arg == T_DROPOUT,
          "in a programme with only a drop-out rate: the event is a drop-out (arg %u)", ev.arg);
    fx_stop(f);
}

/* EV_INFLOW: the next regular arrival is made in a slot, not in view, counted,
 * given an event, and the chain schedules the next arrival (none after the last). */
static void test_inflow(void)
{
    fixture *f = fx_new();
    f->p.other_exit = 1.0;   /* per day: a newcomer gets a live event */
    fx_start(f, 2, 1);
    lm_ws *w = f->w;
    static const double times[] = {5.0, 8.0};
    for (uint32_t i = 0; i < 2; i++) w->arrival[i] = times[i];   /* lm_start reserved room */
    w->narrival = 2;
    w->region[0].next_inflow = 0, w->region[0].end_inflow = 2;
    w->region[1].next_inflow = w->region[1].end_inflow = 2;
    w->st.count[0][LM_NOT_ARRIVED] += 2;
    CHECK_CONSISTENT(f, "inflow: set-up");
    uint32_t n0 = w->npeople;
    double benefit = w->region[0].on_benefit;
    fx_fire(f, fx_event(5.0, EV_INFLOW, 0, 0, 0));
    lm_person *p = fx_person(f, n0);
    CHECK(w->npeople == n0 + 1 && p->id == w->nstock && p->region == 0, "the first arrival is made in a new slot with id nstock");
    CHECK(p->state == LM_NOT_IN_VIEW && p->benefit_start == 5.0 && p->stage_end == INFINITY, "arrives not in view, benefit spell from now");
    CHECK(w->st.region_inflow[0] == 1 && w->st.count[0][LM_NOT_ARRIVED] == 1 && w->region[0].on_benefit == benefit + 1,
          "inflow counted, one fewer not arrived, one more on benefit");
    sim_event ev;
    CHECK(fx_count(f, EV_INFLOW, 0, &ev) == 1 && ev.time == 8.0, "the chain schedules the next arrival at its time");
    CHECK(fx_count(f, EV_INFLOW, 1, NULL) == 0, "the other region's chain is untouched");
    CHECK(fx_count(f, EV_PERSON, n0, NULL) == 1, "the newcomer has one live event");
    CHECK_CONSISTENT(f, "inflow: first arrival");
    fx_fire(f, ev);
    CHECK(w->st.region_inflow[0] == 2 && fx_person(f, n0 + 1)->id == w->nstock + 1, "the second arrival has the next id");
    CHECK(fx_count(f, EV_INFLOW, LM_NONE, NULL) == 0, "no arrival is scheduled after the last");
    CHECK_CONSISTENT(f, "inflow: last arrival");
    fx_stop(f);
}

/* A shock of the policy that touches nothing unless a test says so. */
static lm_shock *fx_add_shock(fixture *f)
{
    lm_shock *sh = &f->pol.shock[f->pol.nshock++];
    memset(sh, 0, sizeof *sh);
    sh->demand = (lm_path){.n = 1, .v = {1.0}};
    sh->inflow_young = -1.0;
    sh->search_factor = sh->held_factor = 1.0;
    sh->held_until = -INFINITY;
    sh->online_effect = 1.0;
    sh->employer_availability = 1.0;
    sh->onset = 1e9;
    return sh;
}

/* EV_SHOCK_INFLOW: a shock newcomer is marked with their shock, on WW, aged by the
 * shock's young share; the chain moves on and ends. */
static void test_shock_inflow(void)
{
    fixture *f = fx_new();
    fx_add_shock(f)->inflow_young = 1.0;   /* shock 0: every newcomer is 18-26 */
    fx_add_shock(f)->inflow_young = 0.0;   /* shock 1: none is */
    fx_start(f, 1, 0);
    lm_ws *w = f->w;
    if (grow((void **)&w->shock, 0, &w->shock_cap, sizeof *w->shock) != 0) { printf("out of memory\n"); exit(1); }
    w->shock[0] = (shock_arrival){3.0, w->nstock, 0};
    w->shock[1] = (shock_arrival){4.0, w->nstock + 1, 1};
    w->nshock = 2;
    w->region[0].next_shock = 0, w->region[0].end_shock = 2;
    w->region[1].next_shock = w->region[1].end_shock = 2;
    w->st.count[0][LM_NOT_ARRIVED] += 2;
    double young = w->region[0].young_on_benefit;
    fx_fire(f, fx_event(3.0, EV_SHOCK_INFLOW, 0, 0, 0));
    lm_person *p = fx_person(f, 1);
    CHECK(p->state == LM_NOT_IN_VIEW && (p->flags & LM_F_SHOCK) && p->shock == 0 && p->benefit == 1,
          "a shock newcomer: not in view, flagged with shock 0, on WW");
    CHECK(p->age_band == 0 && w->region[0].young_on_benefit == young + 1, "young share 1: aged 18-26 and counted young");
    CHECK(w->st.region_inflow[0] == 1, "shock inflow counts as inflow");
    sim_event ev;
    CHECK(fx_count(f, EV_SHOCK_INFLOW, 0, &ev) == 1 && ev.time == 4.0 && fx_count(f, EV_INFLOW, LM_NONE, NULL) == 0,
          "the shock chain schedules its next arrival, the regular chain nothing");
    fx_fire(f, ev);
    p = fx_person(f, 2);
    CHECK(p->shock == 1 && p->age_band >= 1, "young share 0: the second newcomer (shock 1) is older (band %d)", p->age_band);
    CHECK(fx_count(f, EV_SHOCK_INFLOW, LM_NONE, NULL) == 0, "no shock arrival after the last");
    CHECK_CONSISTENT(f, "shock inflow");
    fx_stop(f);
}

/* T_SELF_EXIT: an accepted candidate leaves for work (counted, work within a year
 * of a programme start counted, slot freed, nothing pending); a thinned one
 * (demand 0) only reschedules. */
static void test_self_exit(void)
{
    fixture *f = fx_new();
    fx_start(f, 3, 0);
    lm_ws *w = f->w;
    for (int i = 0; i < 3; i++) f->p.dist_mult[i] = 1.0;
    fx_at(f, 20.0);
    for (uint32_t s = 0; s < 3; s++) fx_to_pool(f, s);
    lm_person *p0 = fx_person(f, 0), *p1 = fx_person(f, 1), *p2 = fx_person(f, 2);
    p0->flags |= LM_F_COHORT, p0->cohort_instr = LM_WORKFIT, p0->cohort_start = 0.0f;    /* started 20 days ago */
    p1->flags |= LM_F_COHORT, p1->cohort_instr = LM_SECTOR, p1->cohort_start = -400.0f;  /* more than a year ago */
    f->p.demand.v[0] = 2.0;   /* above the thinning bound: every candidate is real */
    double benefit = w->region[0].on_benefit;
    int32_t pool = w->st.count[0][LM_POOL];
    fx_fire(f, fx_person_event(f, 0, 21.0, T_SELF_EXIT));
    CHECK(p0->state == LM_EXIT_WORK && w->st.exits_work == 1 && w->st.region_exits_work[0] == 1,
          "an accepted own-search candidate exits to work (state %d)", p0->state);
    CHECK(w->st.count[0][LM_POOL] == pool - 1 && w->st.count[0][LM_EXIT_WORK] == 1 && w->region[0].on_benefit == benefit - 1,
          "stocks: one fewer in the pool and on benefit, one more exit");
    CHECK(w->st.work12[LM_WORKFIT] == 1 && !(p0->flags & LM_F_COHORT), "work within a year of a workfit start is counted once");
    CHECK(w->free_head == 0 && fx_count(f, EV_PERSON, 0, NULL) == 0, "the slot is freed and nothing of theirs is pending");
    fx_fire(f, fx_person_event(f, 1, 22.0, T_SELF_EXIT));
    CHECK(w->st.work12[LM_SECTOR] == 0 && w->st.exits_work == 2, "work more than a year after a start is not in the 12-month outflow");
    f->p.demand.v[0] = 0.0;   /* no demand: every candidate is thinned away */
    uint32_t v = p2->version;
    fx_fire(f, fx_person_event(f, 2, 23.0, T_SELF_EXIT));
    CHECK(p2->state == LM_POOL && w->st.exits_work == 2 && p2->version == v + 1 && fx_count(f, EV_PERSON, 2, NULL) == 1,
          "a thinned candidate stays in the pool and is rescheduled");
    CHECK_CONSISTENT(f, "self exit");
    fx_stop(f);
}

/* Places and queues: the first in takes the one place, the others wait in order;
 * an exit from the programme (T_OTHER_EXIT, leave_model) frees the place for the
 * head of the queue; a queue time-out (T_STAGE_END in waiting) drops the person
 * out of view. */
static void test_queue_and_other_exit(void)
{
    fixture *f = fx_new();
    fx_start(f, 3, 0);
    lm_ws *w = f->w;
    fx_at(f, 1.0);
    for (uint32_t s = 0; s < 3; s++) {
        fx_to_workfit(f, s);
        fx_at(f, 2.0 + s);
    }
    region_ws *r = &w->region[0];
    CHECK(fx_person(f, 0)->state == LM_IN_PROGRAMME && fx_person(f, 0)->instrument == LM_WORKFIT && r->used[LM_WORKFIT] == 1,
          "the first routed to workfit takes its one place");
    CHECK(fx_person(f, 1)->state == LM_WAITING && fx_person(f, 2)->state == LM_WAITING && r->queue[LM_WORKFIT].head == 1
          && r->queue[LM_WORKFIT].tail == 2, "the others wait, first come first in the queue");
    CHECK(w->st.starts[LM_WORKFIT] == 1 && w->st.cost_programmes == f->p.traj[LM_WORKFIT].unit_cost && w->st.cohort[LM_WORKFIT] == 1,
          "a start is counted, paid and enters the 12-month cohort");
    CHECK_CONSISTENT(f, "queue: set-up");
    double since = fx_person(f, 1)->state_since;
    fx_fire(f, fx_person_event(f, 0, 10.0, T_OTHER_EXIT));
    CHECK(fx_person(f, 0)->state == LM_EXIT_OTHER && w->st.exits_other == 1, "other exit: the person leaves (state %d)", fx_person(f, 0)->state);
    CHECK(fx_person(f, 1)->state == LM_IN_PROGRAMME && r->used[LM_WORKFIT] == 1 && r->queue[LM_WORKFIT].head == 2,
          "the freed place goes to the head of the queue at once");
    CHECK(w->st.waited == 1 && fabs(w->st.wait_days - (10.0 - since)) < 1e-9, "the wait is counted: %g days", w->st.wait_days);
    CHECK(fx_count(f, EV_PERSON, 1, NULL) == 1, "the starter gets a new event");
    CHECK_CONSISTENT(f, "queue: after the exit");
    lm_person *p2 = fx_person(f, 2);
    CHECK(p2->stage_end >= 3.0 + f->p.profile_valid && p2->stage_end <= 3.0 + f->p.profile_valid + STAGE_JITTER_DAYS,
          "a wait lasts at most profile_valid plus a week: %g", p2->stage_end);
    CHECK(fx_fire_next(f, 2) == T_STAGE_END, "the one waiting has only their time-out pending");
    CHECK(p2->state == LM_NOT_IN_VIEW && w->st.queue_timeouts == 1 && r->queue[LM_WORKFIT].n == 0 && p2->stage_end == INFINITY,
          "a queue time-out drops the person out of view and out of the queue");
    CHECK(fx_count(f, EV_PERSON, 2, NULL) == 0, "out of view with no hazards: nothing pending");
    CHECK_CONSISTENT(f, "queue: after the time-out");
    fx_stop(f);
}

/* T_STAGE_END out of a pool spell and a stale profile: the pool re-routes, a stale
 * profile drops out of view; out of view, a stage end only reschedules. */
static void test_stage_ends(void)
{
    fixture *f = fx_new();
    fx_start(f, 2, 0);
    lm_ws *w = f->w;
    fx_to_pool(f, 0);
    fx_invite(f, 1, 2, 0.5, 0);   /* not placeable now, no barrier: waits in view */
    lm_person *p0 = fx_person(f, 0), *p1 = fx_person(f, 1);
    CHECK(p1->state == LM_IN_VIEW, "not placeable now without barriers: waits in view (state %d)", p1->state);
    double end0 = p0->stage_end;
    CHECK(fx_fire_next(f, 0) == T_STAGE_END, "the pool member's event is their spell's end");
    CHECK(p0->state == LM_POOL && p0->stage_end >= end0 + f->p.pool_max_days && w->st.count[0][LM_POOL] == 1,
          "the pool spell over, the person is re-routed to a new spell (ready)");
    CHECK(p1->stage_end >= f->p.profile_valid && p1->stage_end <= f->p.profile_valid + STAGE_JITTER_DAYS, "a profile stays valid for profile_valid plus at most a week");
    CHECK(fx_fire_next(f, 1) == T_STAGE_END, "in view, the event is the profile's end");
    CHECK(p1->state == LM_NOT_IN_VIEW && p1->stage_end == INFINITY && fx_count(f, EV_PERSON, 1, NULL) == 0,
          "a stale profile: out of view, nothing pending");
    uint32_t v = p1->version;
    fx_fire(f, fx_person_event(f, 1, sim_ctx_now(f->ctx), T_STAGE_END));
    CHECK(p1->state == LM_NOT_IN_VIEW && p1->version == v + 1, "out of view, a stage end only reschedules");
    CHECK_CONSISTENT(f, "stage ends");
    fx_stop(f);
}

/* T_STAGE_END in a programme (complete_programme): counted, the place goes to the
 * head of the queue before the person is routed on; improvement solves a barrier
 * and moves the distance; a guarantee ends in a partner placement. */
static void test_completion(void)
{
    fixture *f = fx_new();
    f->p.traj[LM_BARRIER].improve = 1.0;
    fx_start(f, 3, 0);
    lm_ws *w = f->w;
    region_ws *r = &w->region[0];
    fx_invite(f, 0, 2, 0.5, LM_B_DEBTS | LM_B_HEALTH);   /* two barriers: one left after */
    fx_to_barrier(f, 1);
    lm_person *p0 = fx_person(f, 0), *p1 = fx_person(f, 1);
    CHECK(p0->state == LM_IN_PROGRAMME && p1->state == LM_WAITING, "one place of barrier removal: one in, one waiting");
    for (int k = 0; k < LM_NTRAJ; k++) f->p.training_weight[k] = 0;
    f->p.training_weight[LM_SECTOR] = 1.0;   /* the only training on offer by weight */
    double end = p0->stage_end;
    CHECK(fx_fire_next(f, 0) == T_STAGE_END && sim_ctx_now(f->ctx) == end, "the programme's event is its end");
    CHECK(w->st.completions[LM_BARRIER] == 1, "the completion is counted");
    CHECK(p0->distance == 1 && p0->barriers == LM_B_HEALTH, "improved: one step closer, one barrier (the first) solved");
    CHECK(p0->boost_until == (float)(end + f->p.traj[LM_BARRIER].boost_days) && p0->boost_instr == LM_BARRIER, "the search boost is set");
    CHECK(p1->state == LM_IN_PROGRAMME && p1->instrument == LM_BARRIER, "the freed place went to the one waiting");
    CHECK(p0->state == LM_IN_PROGRAMME && p0->instrument == LM_SECTOR, "then routed on: activation, skilled enough, to training (%d/%d)",
          p0->state, p0->instrument);
    CHECK(r->used[LM_BARRIER] == 1 && r->used[LM_SECTOR] == 1, "places in use follow");
    CHECK_CONSISTENT(f, "completion: routed on");

    /* no improvement: routed back to the same full instrument, behind the queue */
    f->p.traj[LM_BARRIER].improve = 0.0;
    fx_to_barrier(f, 2);
    CHECK(fx_person(f, 2)->state == LM_WAITING, "a second barrier case waits");
    CHECK(fx_fire_next(f, 1) == T_STAGE_END, "the one in barrier removal completes");
    CHECK(p1->distance == 2 && fx_person(f, 2)->state == LM_IN_PROGRAMME && p1->state == LM_WAITING,
          "no improvement: the head of the queue starts first, the completer waits behind (state %d)", p1->state);
    CHECK_CONSISTENT(f, "completion: back in the queue");
    fx_stop(f);

    /* praktijkleren with a job guarantee: a learn-work place (partner placement), a praktijkverklaring */
    f = fx_new();
    f->p.traj[LM_PRAKTIJK].job_guarantee = 1.0;
    for (int k = 0; k < LM_NTRAJ; k++) f->p.training_weight[k] = 0;
    f->p.training_weight[LM_PRAKTIJK] = 1.0;
    f->p.region[0].portfolio |= PLACE_BIT(LM_P_LEARNWORK);
    fx_start(f, 1, 0);
    w = f->w;
    fx_invite(f, 0, 0, 0.2, 0);   /* ready but below hard_needed: trained first */
    p0 = fx_person(f, 0);
    CHECK(p0->state == LM_IN_PROGRAMME && p0->instrument == LM_PRAKTIJK, "ready but unskilled: to praktijkleren");
    fx_fire_next(f, 0);
    CHECK(p0->state == LM_PLACED && p0->instrument == LM_P_LEARNWORK && w->st.partner_placements == 1 && w->st.placements[LM_P_LEARNWORK] == 1,
          "a guaranteed completion is a partner placement, learn-work where offered");
    CHECK((p0->flags & LM_F_VERKLARING) && w->region[0].used[LM_PRAKTIJK] == 0, "with a praktijkverklaring; the place is free");
    CHECK_CONSISTENT(f, "completion: guarantee");
    fx_stop(f);
}

/* T_DROPOUT: counted, the place goes to the queue, the person waits in view (not routed). */
static void test_dropout(void)
{
    fixture *f = fx_new();
    fx_start(f, 2, 0);
    lm_ws *w = f->w;
    fx_to_workfit(f, 0);
    fx_to_workfit(f, 1);
    fx_fire(f, fx_person_event(f, 0, 20.0, T_DROPOUT));
    lm_person *p0 = fx_person(f, 0);
    CHECK(w->st.programme_dropouts == 1 && w->st.completions[LM_WORKFIT] == 0, "a drop-out is counted, not a completion");
    CHECK(p0->state == LM_IN_VIEW && p0->stage_end >= 20.0 + f->p.profile_valid && p0->stage_end <= 20.0 + f->p.profile_valid + STAGE_JITTER_DAYS,
          "the drop-out waits in view for a profile period (state %d)", p0->state);
    CHECK(fx_person(f, 1)->state == LM_IN_PROGRAMME && w->region[0].used[LM_WORKFIT] == 1, "their place went to the one waiting");
    CHECK_CONSISTENT(f, "drop-out");
    fx_stop(f);
}

/* T_RELAPSE and T_RECOVER: the distance moves one step within 0..2; the pool (relapse)
 * and in view (recovery) re-route, other states only reschedule. */
static void test_relapse_recover(void)
{
    fixture *f = fx_new();
    f->p.region[0].places[LM_SECTOR] = 2;
    fx_start(f, 4, 0);
    for (int k = 0; k < LM_NTRAJ; k++) f->p.training_weight[k] = 0;
    f->p.training_weight[LM_SECTOR] = 1.0;
    fx_to_pool(f, 0);
    lm_person *p0 = fx_person(f, 0);
    fx_fire(f, fx_person_event(f, 0, 1.0, T_RELAPSE));
    CHECK(p0->distance == 1 && p0->state == LM_IN_PROGRAMME && p0->instrument == LM_SECTOR,
          "a relapse in the pool: one step further, out of the pool, re-routed (state %d)", p0->state);
    lm_person *p1 = fx_person(f, 1);
    fx_shape(f, 1, 2, 0.5, 0);
    uint32_t v = p1->version;
    fx_fire(f, fx_person_event(f, 1, 2.0, T_RELAPSE));
    CHECK(p1->distance == 2 && p1->state == LM_NOT_IN_VIEW && p1->version == v + 1, "relapse at the far end: distance stays 2, rescheduled");
    fx_fire(f, fx_person_event(f, 1, 3.0, T_RECOVER));
    CHECK(p1->distance == 1 && p1->state == LM_NOT_IN_VIEW, "recovery out of view: one step closer, still out of view");
    fx_invite(f, 2, 2, 0.9, 0);
    lm_person *p2 = fx_person(f, 2);
    CHECK(p2->state == LM_IN_VIEW, "not placeable now: waits in view");
    fx_fire(f, fx_person_event(f, 2, 4.0, T_RECOVER));
    CHECK(p2->distance == 1 && p2->state == LM_IN_PROGRAMME && p2->instrument == LM_SECTOR, "recovery in view: re-routed (to training)");
    fx_shape(f, 3, 0, 0.5, 0);
    fx_fire(f, fx_person_event(f, 3, 5.0, T_RECOVER));
    CHECK(fx_person(f, 3)->distance == 0, "recovery at distance 0 stays 0");
    CHECK_CONSISTENT(f, "relapse and recovery");
    fx_stop(f);
}

/* A candidate of the WSP vacancy chain at t: at reach 1 and demand at its bound it
 * is accepted, so a match is tried now; the chain schedules its next candidate. */
static void fx_vacancy_at(fixture *f, int region, double t)
{
    fx_at(f, t);
    f->w->region[region].vac_rate = 1.0;   /* a chain of one candidate a day (the fixture's rate is 0) */
    fx_fire(f, fx_event(t, EV_VACANCY, (uint32_t)region, 0, 0));
}

/* try_match and start_placement: the pool member is placed (counts, first-placement
 * time, coach place and its end event, benefit stops for a regular job); the
 * coach end, durability (placement_stage_end) and job loss follow; acceptance 0
 * and an empty pool place nobody. */
static void test_match_coach_durable_loss(void)
{
    fixture *f = fx_new();
    f->p.region[0].jobcoach_places = 1;
    fx_start(f, 3, 0);
    lm_ws *w = f->w;
    region_ws *r = &w->region[0];
    fx_at(f, 5.0);
    fx_to_pool(f, 0);
    lm_person *p0 = fx_person(f, 0);
    double benefit = r->on_benefit;
    fx_vacancy_at(f, 0, 12.0);
    CHECK(p0->state == LM_PLACED && p0->instrument == LM_P_REGULAR && r->pool[LM_BANDS - 1].n == 0,
          "a vacancy places the pool member in a regular job (state %d)", p0->state);
    CHECK(w->st.vacancies_wsp == 1 && w->st.placements[LM_P_REGULAR] == 1 && w->st.region_placements[0] == 1
          && w->st.partner_placements == 0, "the vacancy and the placement are counted");
    CHECK(w->st.first_placements == 1 && fabs(w->st.time_to_placement - (12.0 - p0->first_view)) < 1e-6 && p0->placements == 1
          && (p0->flags & LM_F_EVER_PLACED), "a first placement: time since first profiled (%g)", w->st.time_to_placement);
    CHECK(r->on_benefit == benefit - 1, "a regular job ends the benefit");
    CHECK(p0->stage_end == 12.0 + f->p.durable_days, "the durability clock runs from the start");
    CHECK(r->coach_used == 1 && (p0->flags & LM_F_JOBCOACH) && (p0->flags & LM_F_COACHED) && w->st.cost_aftercare == f->p.jobcoach_cost,
          "the free coach place is taken and paid");
    sim_event coach;
    CHECK(fx_count(f, EV_COACH_END, 0, &coach) == 1 && coach.time == 12.0 + f->p.jobcoach_days && coach.stamp == 1 && coach.arg == p0->id,
          "the coaching's end is scheduled with the placement number and the id");
    CHECK(fx_count(f, EV_VACANCY, 0, NULL) == 1 && fx_count(f, EV_VACANCY, 1, NULL) == 0, "the vacancy chain goes on in its region only");
    CHECK_CONSISTENT(f, "placed");

    lm_person before = *p0;
    fx_fire(f, fx_event(coach.time, EV_COACH_END, 0, coach.stamp + 1, coach.arg));
    fx_fire(f, fx_event(coach.time, EV_COACH_END, 0, coach.stamp, coach.arg + 1));
    CHECK(memcmp(&before, p0, sizeof before) == 0 && r->coach_used == 1, "a coach end for another placement or person is ignored");
    uint32_t v = p0->version;
    fx_fire(f, coach);
    CHECK(r->coach_used == 0 && !(p0->flags & LM_F_JOBCOACH) && (p0->flags & LM_F_COACHED) && p0->version == v + 1,
          "the coaching ends: the place is free, the job-loss hazard rescheduled");
    fx_fire(f, coach);
    CHECK(r->coach_used == 0, "a second coach end for the same placement changes nothing");
    CHECK_CONSISTENT(f, "coaching over");

    CHECK(fx_fire_next(f, 0) == T_STAGE_END && p0->state == LM_DURABLE, "after durable_months in work: durable (state %d)", p0->state);
    CHECK(w->st.durable == 1 && w->st.durable_coached == 1 && w->st.region_durable[0] == 1 && w->free_head == 0,
          "durable counted (coached), the slot freed");
    CHECK_CONSISTENT(f, "durable");

    /* job loss: a new benefit spell, routed again; the coach place is given back */
    fx_to_pool(f, 1);
    lm_person *p1 = fx_person(f, 1);
    fx_vacancy_at(f, 0, 400.0);
    CHECK(p1->state == LM_PLACED && r->coach_used == 1, "the second placement is coached");
    benefit = r->on_benefit;
    fx_fire(f, fx_person_event(f, 1, 450.0, T_JOB_LOSS));
    CHECK(p1->state == LM_POOL && w->st.job_losses == 1 && w->st.lost_coached == 1,
          "a job loss: counted, back to routing, ready: the pool (state %d)", p1->state);
    CHECK(p1->benefit_start == 450.0 && r->on_benefit == benefit + 1 && r->coach_used == 0 && !(p1->flags & (LM_F_JOBCOACH | LM_F_COACHED)),
          "a new benefit spell; the coach place is free");
    CHECK(fx_count(f, EV_COACH_END, 1, &coach) == 1, "the old coaching's end is still pending");
    before = *p1;
    fx_fire(f, coach);
    CHECK(memcmp(&before, p1, sizeof before) == 0 && r->coach_used == 0, "and is ignored: the placement is over");
    CHECK_CONSISTENT(f, "job loss");

    /* nobody accepts; an empty pool */
    f->p.accept_base = 0;
    uint32_t pos = p1->rng_pos;
    double wsp = w->st.vacancies_wsp;
    fx_vacancy_at(f, 0, 800.0);
    CHECK(p1->state == LM_POOL && w->st.vacancies_wsp == wsp + 1 && p1->rng_pos != pos, "acceptance 0: the candidate is considered, not placed");
    fx_fire(f, fx_person_event(f, 1, 801.0, T_OTHER_EXIT));
    fx_vacancy_at(f, 0, 802.0);
    CHECK(w->st.vacancies_wsp == wsp + 2 && w->st.placements[LM_P_REGULAR] == 2, "an empty pool: the vacancy is counted, nobody placed");
    CHECK_CONSISTENT(f, "no match");
    fx_stop(f);
}

/* placement_stage_end of a trial placement: converted (probability 1) into a regular
 * job with the durability clock from the start; not converted (0): back to the pool. */
static void test_conversion(void)
{
    for (int kept = 0; kept <= 1; kept++) {
        fixture *f = fx_new();
        f->p.region[0].portfolio = ALL_TRAJ | PLACE_BIT(LM_P_TRIAL);   /* trial placements only */
        f->p.place[LM_P_TRIAL].convert_p = kept;
        fx_start(f, 1, 0);
        lm_ws *w = f->w;
        fx_to_pool(f, 0);
        lm_person *p = fx_person(f, 0);
        double benefit = w->region[0].on_benefit;
        fx_vacancy_at(f, 0, 10.0);
        CHECK(p->state == LM_PLACED && p->instrument == LM_P_TRIAL && p->stage_end == 10.0 + f->p.place[LM_P_TRIAL].convert_days,
              "a trial placement ends after convert_months");
        CHECK(w->region[0].on_benefit == benefit, "the benefit continues in a trial placement");
        CHECK(fx_fire_next(f, 0) == T_STAGE_END, "the trial's end is its event");
        if (kept) {
            CHECK(p->state == LM_PLACED && p->instrument == LM_P_REGULAR && w->st.converted == 1 && p->state_since == 10.0
                  && p->stage_end == 10.0 + f->p.durable_days, "converted: a regular job, durable counted from the trial's start");
            CHECK(w->region[0].on_benefit == benefit - 1, "converted: the benefit stops");
        } else {
            CHECK(p->state == LM_POOL && w->st.not_converted == 1 && w->region[0].on_benefit == benefit,
                  "not converted: back in the pool, still on benefit (state %d)", p->state);
        }
        CHECK_CONSISTENT(f, kept ? "converted" : "not converted");
        fx_stop(f);
    }
}

/* A basisbaan with a wage subsidy: the place is taken and paid, the subsidy paid
 * for the months worked when it ends, the place given back. */
static void test_basisbaan_subsidy(void)
{
    fixture *f = fx_new();
    f->p.region[0].portfolio = ALL_TRAJ | PLACE_BIT(LM_P_BASISBAAN) | SUBSIDY_BIT;
    f->p.region[0].basisbaan_places = 1;
    f->p.subsidy_threshold = 0.95;   /* the candidate (0.9) is below: eligible for both */
    fx_start(f, 1, 0);
    lm_ws *w = f->w;
    fx_to_pool(f, 0);
    lm_person *p = fx_person(f, 0);
    fx_vacancy_at(f, 0, 10.0);
    CHECK(p->state == LM_PLACED && p->instrument == LM_P_BASISBAAN && w->region[0].basis_used == 1, "placed in the basisbaan");
    CHECK((p->flags & LM_F_SUBSIDY) && w->st.subsidised == 1 && w->st.cost_subsidies == f->p.place[LM_P_BASISBAAN].cost,
          "with a wage subsidy; the placement cost is paid");
    CHECK_CONSISTENT(f, "basisbaan");
    fx_fire_next(f, 0);
    double months = fmin(f->p.durable_days, f->p.subsidy_max_days) / LM_DAYS_PER_MONTH;
    CHECK(p->state == LM_DURABLE && w->region[0].basis_used == 0, "durable: the basisbaan is free again");
    CHECK(fabs(w->st.cost_subsidies - f->p.place[LM_P_BASISBAAN].cost - months * f->p.subsidy_per_month) < 1e-6,
          "the subsidy is paid for the months worked (%g EUR)", w->st.cost_subsidies);
    CHECK_CONSISTENT(f, "basisbaan over");
    fx_stop(f);
}

/* The next candidate of region g's WSP chain after firing one at t, in a fresh
 * fixture whose region 0 reaches the WSP with probability `reach` (reach_max 1). */
static double fx_next_candidate(double reach, double t)
{
    fixture *f = fx_new();
    f->p.vacancies_per_1000 = 25000.0;
    fx_start(f, 2, 1);
    f->w->region[0].reach = reach;
    fx_at(f, t);
    fx_fire(f, fx_event(t, EV_VACANCY, 0, 0, 0));
    sim_event ev;
    double next = fx_count(f, EV_VACANCY, 0, &ev) == 1 ? ev.time : -1.0;
    fx_stop(f);
    return next;
}

/* on_vacancy, the WSP chain: a candidate accepted with demand x reach / bound is a
 * WSP vacancy (counted, matched); one thinned away changes nothing but the chain;
 * the chain's candidate times do not depend on reach (common random numbers
 * across scenarios); a chain of rate 0 ends. count_unreached_vacancies: the
 * expected number of vacancies that do not reach the WSP is added up per
 * interval and drawn as a count on grid times only. */
static void test_vacancy_chain(void)
{
    fixture *f = fx_new();
    f->p.vacancies_per_1000 = 25000.0;   /* 50 candidates a day at caseload 2 */
    fx_start(f, 2, 1);
    lm_ws *w = f->w;
    region_ws *r = &w->region[0];
    fx_to_pool(f, 0);
    CHECK(r->reach == 1.0 && r->reach_max == 1.0 && fabs(r->vac_rate - 50.0) < 1e-9,
          "reach 1: the chain runs at the whole vacancy rate (%g a day)", r->vac_rate);
    fx_at(f, 10.0);
    fx_fire(f, fx_event(10.0, EV_VACANCY, 0, 0, 0));
    sim_event ev;
    CHECK(fx_person(f, 0)->state == LM_PLACED, "all reach the WSP: the candidate is matched now");
    CHECK(w->st.vacancies == 1 && w->st.vacancies_wsp == 1, "it is counted once (vacancies %g)", w->st.vacancies);
    CHECK(fx_count(f, EV_VACANCY, 0, &ev) == 1 && ev.time > 10.0 && ev.time <= f->p.end,
          "the chain's next candidate is scheduled (t %g)", ev.time);
    CHECK(fx_count(f, EV_VACANCY, 1, NULL) == 0, "the other region's chain is untouched");
    CHECK_CONSISTENT(f, "vacancy chain");

    r->reach = 0.0;   /* the maturity of this interval lets nothing reach the WSP */
    double seen = w->st.vacancies, wsp = w->st.vacancies_wsp;
    fx_clear(f);
    fx_fire(f, ev);
    CHECK(w->st.vacancies == seen && w->st.vacancies_wsp == wsp && fx_count(f, EV_VACANCY, 0, &ev) == 1,
          "reach 0: the candidate is thinned away, the chain goes on");
    r->reach = 1.0;
    f->p.demand.v[0] = 0.0;   /* no demand: every candidate is thinned away */
    fx_clear(f);
    fx_fire(f, ev);
    CHECK(w->st.vacancies == seen && fx_count(f, EV_VACANCY, 0, &ev) == 1, "no demand: no vacancy counted, the chain goes on");
    r->vac_rate = 0;
    fx_clear(f);
    fx_fire(f, ev);
    CHECK(fx_count(f, EV_VACANCY, LM_NONE, NULL) == 0, "no vacancies at all: the chain ends");
    f->p.demand.v[0] = 1.0;

    /* The vacancies that do not reach the WSP: at reach 0.25 and demand 1, the
     * expected number over 30 days is 0.75 x 50 a day x 30 days; no draw off the grid. */
    r->reach = 0.25;
    r->unreached_mean = 0;
    seen = w->st.vacancies;
    count_unreached_vacancies(w, 0, 100.0, 130.0, -1);
    double mean = 0.75 * 50.0 * 30.0;
    CHECK(fabs(r->unreached_mean - mean) < 1e-9 * mean && w->st.vacancies == seen,
          "off the grid the expected count is added up, not drawn (%g, want %g)", r->unreached_mean, mean);
    count_unreached_vacancies(w, 0, 130.0, 130.0 + 30.0 * 399.0, 7);
    double got = w->st.vacancies - seen;
    mean *= 400.0;
    CHECK(r->unreached_mean == 0 && fabs(got - mean) < 5.0 * sqrt(mean),
          "on a grid time a Poisson count of the sum is drawn (%g, mean %g)", got, mean);
    /* The count of grid time k starts at its own place in the stream: the same
     * mean gives the same count whatever was drawn before (common random numbers). */
    double counts[2];
    for (int earlier = 0; earlier <= 1; earlier++) {
        if (earlier) { r->unreached_mean = 500.0; count_unreached_vacancies(w, 0, 0.0, 0.0, 8); }
        r->unreached_mean = 1000.0;
        seen = w->st.vacancies;
        count_unreached_vacancies(w, 0, 0.0, 0.0, 9);
        counts[earlier] = w->st.vacancies - seen;
    }
    CHECK(counts[0] == counts[1] && counts[0] > 0, "a month's count does not depend on earlier months' draws (%g, %g)",
          counts[0], counts[1]);
    fx_stop(f);

    double a = fx_next_candidate(1.0, 10.0), b = fx_next_candidate(0.0, 10.0);
    CHECK(a > 10.0 && a == b, "the next candidate's time does not depend on reach (%.9g, %.9g)", a, b);
}

/* Fire region g's pending profiling round. */
static void fx_profile_round(fixture *f, int g)
{
    sim_event ev;
    if (fx_count(f, EV_PROFILE, (uint32_t)g, &ev) != 1) ev = fx_event(sim_ctx_now(f->ctx), EV_PROFILE, (uint32_t)g, 0, 0);
    fx_fire(f, ev);
}

/* on_profile_round: staff x rate x 7 days invitations (the fraction carried on),
 * drawn from the people not in view, each invitation attended and routed; no-shows
 * and the unwilling; a suspension invites nobody; the next round a week later.
 * Over many rounds the invitations reach many different people (a pick that
 * always took the same member would invite one person only). */
static void test_profile_round(void)
{
    fixture *f = fx_new();
    f->p.region[0].client_managers = 1.0;   /* 3.5 invitations a round */
    fx_start(f, 30, 2);
    lm_ws *w = f->w;
    region_ws *r = &w->region[0];
    for (uint32_t s = 0; s < 30; s++) fx_shape(f, s, 0, 0.9, 0);
    fx_fire(f, fx_event(7.0, EV_PROFILE, 0, 0, 0));
    CHECK(w->st.invited == 3 && w->st.profiled == 3 && w->st.count[0][LM_POOL] == 3 && r->not_in_view.n == 27,
          "3.5 invitations: 3 invited, attended, routed to the pool");
    CHECK(r->invite_carry == 0.5, "the half invitation is carried to the next round");
    int first_view = 0;
    for (uint32_t s = 0; s < 30; s++) first_view += fx_person(f, s)->first_view == 7.0f;
    CHECK(first_view == 3, "the invited are first profiled now");
    sim_event ev;
    CHECK(fx_count(f, EV_PROFILE, 0, &ev) == 1 && ev.time == 14.0 && fx_count(f, EV_PROFILE, 1, NULL) == 0,
          "the next round is a week later, in its region only");
    fx_profile_round(f, 0);
    CHECK(w->st.invited == 7 && r->invite_carry == 0.0, "with the carried half: 4 invitations");
    CHECK_CONSISTENT(f, "profiling");

    f->p.noshow = 1.0;   /* nobody comes: who was invited shows in their stream position */
    uint32_t pos[30];
    for (uint32_t s = 0; s < 30; s++) pos[s] = fx_person(f, s)->rng_pos;
    double invited = w->st.invited;
    for (int i = 0; i < 100; i++) fx_profile_round(f, 0);
    int reached = 0;
    for (uint32_t s = 0; s < 30; s++) reached += fx_person(f, s)->state == LM_NOT_IN_VIEW && fx_person(f, s)->rng_pos != pos[s];
    CHECK(w->st.invited == invited + 350 && w->st.noshow == 350 && r->not_in_view.n == 23, "no-shows are counted and stay out of view");
    CHECK(reached > 23 / 2, "350 invitations reach most of the 23 people out of view (%d did)", reached);

    f->p.noshow = 0.0, f->p.unwilling = 1.0;
    fx_profile_round(f, 0);
    int unwilling = 0;
    for (uint32_t s = 0; s < 30; s++) unwilling += fx_person(f, s)->state == LM_IN_VIEW && (fx_person(f, s)->flags & LM_F_UNWILLING);
    CHECK(w->st.unwilling > 0 && unwilling == (int)w->st.unwilling, "the unwilling are flagged and wait in view (%d)", unwilling);
    r->suspended = 1;
    invited = w->st.invited;
    fx_profile_round(f, 0);
    CHECK(w->st.invited == invited && fx_count(f, EV_PROFILE, 0, NULL) == 1, "suspended: nobody is invited, the rounds go on");
    r->suspended = 0;
    CHECK_CONSISTENT(f, "profiling over");
    fx_stop(f);
}

/* Index of time t in the regime table, or -1. */
static int fx_regime_index(const fixture *f, double t)
{
    for (int i = 0; i < f->w->nregime; i++)
        if (f->w->regime[i].t == t) return i;
    return -1;
}

static void fx_regime(fixture *f, int i)
{
    fx_fire(f, fx_event(f->w->regime[i].t, EV_REGIME, 0, 0, (uint32_t)i));
}

/* on_regime: places and staff recomputed, queues served where places were added,
 * extra staff paid for the interval, the next regime scheduled (none after the last). */
static void test_regime(void)
{
    fixture *f = fx_new();
    fx_start(f, 4, 1);
    lm_ws *w = f->w;
    region_ws *r = &w->region[0];
    for (uint32_t s = 0; s < 4; s++) fx_to_workfit(f, s);
    fx_to_workfit(f, 4);   /* region 1 */
    CHECK(r->queue[LM_WORKFIT].n == 3, "one place, three waiting");
    f->p.region[0].places[LM_WORKFIT] = 3;   /* two places added from the next regime on */
    r->client_managers += 2.0;               /* two extra FTE until then */
    CHECK(w->nregime > 3 && w->regime[0].t == 0.0 && w->regime[0].grid && w->regime[1].grid && w->last_regime == 0.0,
          "a monthly regime table from the origin, on the grid");
    CHECK(w->regime[1].t == 31.0 && w->regime[2].t == 59.0 && w->regime[12].t == 365.0,
          "on the first days of calendar months (origin 1970-01-01: %g, %g, %g)", w->regime[1].t, w->regime[2].t, w->regime[12].t);
    f->p.awareness = 0.5, f->p.awareness_maturity = 1.0;   /* reach 0.5 x (1 + maturity - 0.5) */
    double reach_before = r->reach;
    r->maturity = 0.9;
    fx_regime(f, 1);
    double dt = w->regime[1].t;
    CHECK(r->places[LM_WORKFIT] == 3 && r->used[LM_WORKFIT] == 3 && w->st.waited == 2, "the added places go to the queue at once");
    CHECK(r->queue[LM_WORKFIT].n == 1 && r->queue[LM_WORKFIT].head == 3 && fx_person(f, 1)->state == LM_IN_PROGRAMME
          && fx_person(f, 2)->state == LM_IN_PROGRAMME, "in queue order, no more than the places: the last one still waits");
    CHECK(fabs(w->st.cost_extra_staff - 2.0 * f->p.cm_per_day * dt) < 1e-6 && r->client_managers == f->p.region[0].client_managers,
          "the extra staff are paid for the interval, then back to the base");
    CHECK(w->region[1].used[LM_WORKFIT] == 1 && w->region[1].places[LM_WORKFIT] == 1, "the other region is as it was");
    sim_event ev;
    CHECK(fx_count(f, EV_REGIME, LM_NONE, &ev) == 1 && ev.arg == 2 && ev.time == w->regime[2].t, "the next regime is scheduled");
    CHECK(w->last_regime == w->regime[1].t, "the last regime time moves on");
    CHECK(r->reach == reach(&f->p, &f->p.region[0], r->maturity) && r->reach != reach_before && r->reach > 0.6
          && r->reach <= r->reach_max, "the WSP chain's reach follows the maturity (%g, bound %g)", r->reach, r->reach_max);
    CHECK_CONSISTENT(f, "regime");
    fx_clear(f);
    fx_regime(f, w->nregime - 1);
    CHECK(fx_count(f, EV_REGIME, LM_NONE, NULL) == 0 && w->regime[w->nregime - 1].t == f->p.end,
          "after the last regime (the end) none is scheduled");
    fx_stop(f);
}

/* A suspension (a shock's window, region 0 only) at a regime: running programmes
 * pause (their end moves by the window) or go online; nobody starts while it
 * lasts; its end serves the queues; an online programme completes at its effect. */
static void test_suspension(void)
{
    for (int online = 0; online <= 1; online++) {
        fixture *f = fx_new();
        lm_shock *sh = fx_add_shock(f);
        sh->regions = 1u;   /* region 0 */
        sh->onset = 0.0;
        sh->nsusp = 1, sh->susp_start[0] = 45.0, sh->susp_end[0] = 65.0;
        sh->online_share = online, sh->online_effect = 0.0;
        f->p.traj[LM_BARRIER].improve = 1.0;   /* improves, unless online at effect 0 */
        fx_start(f, 2, 1);
        lm_ws *w = f->w;
        fx_at(f, 40.0);
        fx_to_barrier(f, 0);
        fx_to_barrier(f, 2);   /* region 1 */
        lm_person *p0 = fx_person(f, 0), *p2 = fx_person(f, 2);
        double end0 = p0->stage_end, end2 = p2->stage_end;
        uint32_t v2 = p2->version;
        int start = fx_regime_index(f, 45.0), stop = fx_regime_index(f, 65.0);
        CHECK(start > 0 && stop > start, "the window's ends are regime times");
        fx_regime(f, start);
        CHECK(w->region[0].suspended == 1 && w->region[1].suspended == 0, "suspended in region 0 only");
        if (online)
            CHECK((p0->flags & LM_F_ONLINE) && p0->stage_end == end0, "online share 1: the programme goes online, its end unchanged");
        else
            CHECK(!(p0->flags & LM_F_ONLINE) && p0->stage_end == end0 + 20.0, "online share 0: paused, the end moves by the window");
        CHECK(fx_count(f, EV_PERSON, 0, NULL) == 1 && p2->stage_end == end2 && p2->version == v2, "rescheduled; the other region untouched");
        fx_to_workfit(f, 1);
        CHECK(fx_person(f, 1)->state == LM_WAITING && w->region[0].used[LM_WORKFIT] == 0, "while suspended nobody starts, places or not");
        CHECK_CONSISTENT(f, "suspended");
        fx_regime(f, stop);
        CHECK(w->region[0].suspended == 0 && fx_person(f, 1)->state == LM_IN_PROGRAMME, "the suspension over, the queue is served");
        CHECK_CONSISTENT(f, "suspension over");
        fx_fire(f, fx_person_event(f, 0, fmax(p0->stage_end, 70.0), T_STAGE_END));
        CHECK(!(p0->flags & LM_F_ONLINE) && p0->distance == (online ? 2 : 1),
              "%s completion improves %s", online ? "an online (effect 0)" : "a paused", online ? "nothing" : "the distance");
        fx_stop(f);
    }
}

/* A shock's newcomers whose search is held (extra_inflow.held_until, held_factor): the
 * multiplier is held_factor before the date and search_factor from it; the date is a regime
 * time, at which the shock's searching newcomers, and nobody else, are drawn again, so the
 * thinning bound of every pending candidate is the multiplier of its time. */
static void test_held_search(void)
{
    fixture *f = fx_new();
    lm_shock *sh = fx_add_shock(f);
    sh->search_factor = 3.0, sh->held_until = 50.0, sh->held_factor = 0.5;
    fx_start(f, 3, 0);
    lm_ws *w = f->w;
    for (int i = 0; i < 3; i++) f->p.dist_mult[i] = 1.0;
    CHECK(lm_shock_search_factor(sh, 49.9) == 0.5 && lm_shock_search_factor(sh, 50.0) == 3.0,
          "held_factor before the date, search_factor from it (%g, %g)", lm_shock_search_factor(sh, 49.9),
          lm_shock_search_factor(sh, 50.0));
    int at = fx_regime_index(f, 50.0);
    CHECK(at > 0, "held_until is a regime time");
    fx_at(f, 40.0);
    for (uint32_t s = 0; s < 3; s++) fx_to_pool(f, s);
    lm_person *held = fx_person(f, 0), *placed = fx_person(f, 1), *other = fx_person(f, 2);
    held->flags |= LM_F_SHOCK, held->shock = 0;
    placed->flags |= LM_F_SHOCK, placed->shock = 0;
    placed->state = LM_PLACED;   /* not searching: left alone (counts are not read here) */
    double before = search_bound(w, held);
    uint32_t vh = held->version, vp = placed->version, vo = other->version;
    fx_regime(f, at);
    CHECK(held->version == vh + 1 && fx_count(f, EV_PERSON, 0, NULL) == 1, "the searching newcomer is drawn again at the date");
    CHECK(placed->version == vp && other->version == vo, "a newcomer not searching and a person of no shock are left alone");
    CHECK(search_bound(w, held) == 6.0 * before, "the bound after the date is search_factor / held_factor = 6 times the bound before (%g, %g)",
          search_bound(w, held), before);
    placed->state = LM_POOL;
    fx_stop(f);
}

/* The regime at the origin after a burn-in: flows forgotten, stocks kept, the
 * 12-month cohort emptied. */
static void test_origin(void)
{
    fixture *f = fx_new();
    fx_start(f, 2, 0);
    lm_ws *w = f->w;
    fx_to_workfit(f, 0);
    CHECK(fx_person(f, 0)->flags & LM_F_COHORT, "a start enters the cohort");
    int32_t count[LM_MAX_REGIONS][LM_NSTATES];
    memcpy(count, w->st.count, sizeof count);
    w->origin_pending = 1;
    w->region[0].benefit_area = 100.0;
    w->last_regime = -30.0;   /* a burn-in month ends at the origin */
    w->region[0].reach = 0.5;
    f->p.vacancies_per_1000 = 1000.0;   /* its unreached vacancies: a count drawn at the origin */
    fx_regime(f, 0);
    f->p.vacancies_per_1000 = 0;
    CHECK(w->st.invited == 0 && w->st.starts[LM_WORKFIT] == 0 && w->st.cost_programmes == 0, "flows are forgotten");
    CHECK(w->st.vacancies == 0 && w->region[0].unreached_mean == 0,
          "the burn-in's last vacancies are drawn, then forgotten (%g)", w->st.vacancies);
    CHECK(memcmp(count, w->st.count, sizeof count) == 0, "stocks are kept");
    CHECK(!(fx_person(f, 0)->flags & LM_F_COHORT) && w->region[0].benefit_area == 0.0 && w->origin_pending == 0,
          "the cohort is emptied, benefit days restart");
    fx_to_barrier(f, 1);
    fx_regime(f, 1);
    CHECK(w->st.starts[LM_BARRIER] == 1 && w->st.invited == 1, "later regimes forget nothing");
    CHECK_CONSISTENT(f, "origin");
    fx_stop(f);
}

/* leave_model frees the slot; the next arrival reuses it with a later version, so
 * the leaver's old event stays stale for the newcomer. */
static void test_slot_reuse(void)
{
    fixture *f = fx_new();
    fx_start(f, 2, 0);
    lm_ws *w = f->w;
    w->arrival[0] = 10.0;
    w->narrival = 1;
    w->region[0].next_inflow = 0, w->region[0].end_inflow = 1;
    w->region[1].next_inflow = w->region[1].end_inflow = 1;
    w->st.count[0][LM_NOT_ARRIVED] += 1;
    fx_to_pool(f, 0);
    sim_event old;
    fx_count(f, EV_PERSON, 0, &old);
    fx_fire(f, fx_person_event(f, 0, 5.0, T_OTHER_EXIT));
    CHECK(fx_person(f, 0)->state == LM_EXIT_OTHER && w->free_head == 0 && w->st.exits_other == 1, "the leaver's slot is on the free list");
    CHECK_CONSISTENT(f, "reuse: left");
    fx_fire(f, fx_event(10.0, EV_INFLOW, 0, 0, 0));
    lm_person *p = fx_person(f, 0);
    CHECK(w->npeople == 2 && p->id == 2 && p->state == LM_NOT_IN_VIEW && w->free_head == LM_NONE,
          "the newcomer takes the freed slot (id %u)", p->id);
    CHECK(p->version > old.stamp, "with a version past the leaver's events");
    lm_person before = *p;
    fx_fire(f, old);
    CHECK(memcmp(&before, p, sizeof before) == 0, "the leaver's old event does nothing to the newcomer");
    CHECK_CONSISTENT(f, "reuse: arrived");
    fx_stop(f);
}

/* scenarios/base.cfg from the repository root, or found from the test's path. */
static char base_path[4096];

static lm_params *load_params(const char *path)
{
    sim_config *c = sim_config_load(path);
    lm_params *p = c && sim_config_nerrors(c) == 0 ? lm_params_create(c, &(sim_setup){1, 1, 0}) : NULL;
    if (c && sim_config_nerrors(c) > 0) {   /* the reader's or the model's */
        sim_config_print_errors(c, stdout, 5);
        lm_params_destroy(p);
        p = NULL;
    }
    sim_config_destroy(c);
    if (!p) printf("cannot configure %s\n", path);
    return p;
}

static lm_params *load_base(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    snprintf(base_path, sizeof base_path, "scenarios/base.cfg");
    FILE *probe = fopen(base_path, "r");
    if (!probe && slash) snprintf(base_path, sizeof base_path, "%.*s/../../scenarios/base.cfg", (int)(slash - argv0), argv0);
    if (probe) fclose(probe);
    return load_params(base_path);
}

/* The vacancy chain's thinning bound covers a shock's demand at its knots: a
 * one-day spike to 3 lies between two daily samples (the burn-in of 6 years puts
 * them at half days), where they read only 2. */
static void test_bound_spike(void)
{
    char full[PATH_MAX], path[] = "/tmp/test_lm_handlers-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f || !realpath(base_path, full)) { CHECK(0, "a scratch scenario"); if (f) fclose(f); return; }
    fprintf(f, "@include \"%s\"\nshocks = ( { name = \"spike\"; regions = [\"all\"]; onset = \"2020-03-15\";\n"
               "  demand = ( { date = \"2020-03-15\"; level = 1.0; }, { date = \"2020-03-16\"; level = 3.0; },\n"
               "             { date = \"2020-03-17\"; level = 1.0; } );\n"
               "  extra_inflow = { per_month = 0.0; start = \"2020-04-01\"; end = \"2020-05-01\"; };\n"
               "  suspensions = ( );\n"
               "  staff_diverted = { share = 0.0; start = \"2020-03-15\"; end = \"2020-04-01\"; };\n"
               "  online_share = 0.0; online_effect = 1.0; employer_availability = 1.0; } );\n", full);
    fclose(f);
    lm_params *p = load_params(path);
    unlink(path);
    CHECK(p && p->vacancy_max >= 3.0 && p->search_max_at[0][0] >= 3.0,
          "the bounds reach the spike's peak (vacancy %g, own search %g)", p ? p->vacancy_max : 0, p ? p->search_max_at[0][0] : 0);
    lm_params_destroy(p);
}

/* Write base.cfg with a tension series (50, 100, 300 vacancies per 100 unemployed
 * against a reference of 100) and `extra` after it to a scratch file; configure it. */
static lm_params *load_with_tension(const char *extra)
{
    char full[PATH_MAX], path[] = "/tmp/test_lm_handlers-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f || !realpath(base_path, full)) { CHECK(0, "a scratch scenario"); if (f) fclose(f); return NULL; }
    fprintf(f, "@include \"%s\"\ntension = { reference = 100.0; points = (\n"
               "  { date = \"2019-06-01\"; value = 50.0; }, { date = \"2019-12-01\"; value = 100.0; },\n"
               "  { date = \"2020-06-01\"; value = 300.0; } ); };\n%s\n", full, extra);
    fclose(f);
    lm_params *p = load_params(path);
    unlink(path);
    return p;
}

/* The saturating response to tension (docs/model.md, the tension mechanism): the
 * ratio x = tension / reference enters as x (1 + s) / (1 + s x); s = 0 is the
 * constant elasticity, bit for bit, and the thinning bounds follow the saturated
 * factor. The series holds its first value (x = 0.5) before its first date and its
 * last (x = 3) after its last. */
static void test_tension_saturation(void)
{
    lm_params *p0 = load_with_tension("overrides = ( { key = \"labour_market.macro.tension_saturation\"; "
                                      "value = 0.0; } );");
    lm_params *p1 = load_with_tension("overrides = ( { key = \"labour_market.macro.tension_saturation\"; "
                                      "value = 0.5; } );");
    if (!p0 || !p1) { CHECK(0, "scenarios with a tension series configure"); goto done; }
    CHECK(p0->tension_sat == 0.0 && p1->tension_sat == 0.5, "tension_saturation read (%g, %g)", p0->tension_sat, p1->tension_sat);
    CHECK(lm_tension_factor(p0, 1e6, 1.0) == 3.0 && lm_tension_factor(p0, -1e6, 1.0) == 0.5,
          "s = 0: the ratio itself (%.17g, %.17g)", lm_tension_factor(p0, 1e6, 1.0), lm_tension_factor(p0, -1e6, 1.0));
    CHECK(fabs(lm_tension_factor(p1, 1e6, 1.0) - 1.8) < 1e-12, "s = 0.5, x = 3: 3 x 1.5 / 2.5 = 1.8 (%.17g)",
          lm_tension_factor(p1, 1e6, 1.0));
    CHECK(fabs(lm_tension_factor(p1, -1e6, 2.0) - 0.36) < 1e-12, "s = 0.5, x = 0.5, elasticity 2: (0.75 / 1.25)^2 = 0.36 (%.17g)",
          lm_tension_factor(p1, -1e6, 2.0));
    CHECK(fabs(lm_tension_factor(p1, -1e6, -1.0) - 1.0 / 0.6) < 1e-12, "a negative elasticity (the inflow) inverts it (%.17g)",
          lm_tension_factor(p1, -1e6, -1.0));
    double top = lm_tension_factor(p1, 1e6, p1->el_search);
    CHECK(p1->search_max_at[0][0] >= top && p1->search_max_at[0][0] < p0->search_max_at[0][0],
          "the own-search bound covers the saturated peak and is below the unsaturated one (%g >= %g, < %g)",
          p1->search_max_at[0][0], top, p0->search_max_at[0][0]);
done:
    lm_params_destroy(p0);
    lm_params_destroy(p1);
}

/* The elasticity of own search by distance to work (docs/model.md, the tension mechanism):
 * factor phi per step of distance, 1 by default (everyone the same, bit for bit), and each
 * distance's thinning bound covers its own peak. */
static void test_distance_factor(void)
{
    lm_params *p1 = load_with_tension("");
    lm_params *ph = load_with_tension("overrides = ( { key = \"labour_market.macro.elasticity_distance_factor\"; "
                                      "value = 0.5; } );");
    if (!p1 || !ph) { CHECK(0, "scenarios with a tension series configure"); goto done; }
    CHECK(p1->el_distance_factor == 1.0 && ph->el_distance_factor == 0.5, "elasticity_distance_factor read, default 1 (%g, %g)",
          p1->el_distance_factor, ph->el_distance_factor);
    for (int y = 0; y < 2; y++) {
        double e = y ? p1->el_search_young : p1->el_search;
        for (int d = 0; d < 3; d++)
            CHECK(p1->el_search_at[y][d] == e && p1->search_max_at[y][d] == p1->search_max_at[y][0],
                  "factor 1: group %d, distance %d has the group's elasticity exactly (%.17g, %.17g)", y, d,
                  p1->el_search_at[y][d], e);
        CHECK(ph->el_search_at[y][0] == e && ph->el_search_at[y][1] == 0.5 * e && ph->el_search_at[y][2] == 0.25 * e,
              "factor 0.5: group %d's elasticities e, e/2, e/4 (%g, %g, %g; e = %g)", y,
              ph->el_search_at[y][0], ph->el_search_at[y][1], ph->el_search_at[y][2], e);
        for (int d = 0; d < 3; d++) {
            double top = lm_tension_factor(ph, 1e6, ph->el_search_at[y][d]);
            CHECK(ph->search_max_at[y][d] >= top, "group %d, distance %d: the bound covers the peak (%g >= %g)", y, d,
                  ph->search_max_at[y][d], top);
        }
        CHECK(ph->search_max_at[y][2] < ph->search_max_at[y][0], "group %d: a smaller elasticity, a lower bound (%g < %g)",
              y, ph->search_max_at[y][2], ph->search_max_at[y][0]);
    }
done:
    lm_params_destroy(p1);
    lm_params_destroy(ph);
}

/* A scenario at every policy limit (LM_MAX_PROGRAMMES programmes of LM_MAX_TRANCHES tranches,
 * LM_MAX_SHOCKS shocks of LM_MAX_WINDOWS windows, each with staff diverted and a held pair),
 * all of its dates distinct, written to a scratch file and configured; NULL if it does not. */
static lm_params *load_at_limits(void)
{
    char full[PATH_MAX], path[] = "/tmp/test_lm_handlers-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f || !realpath(base_path, full)) { CHECK(0, "a scratch scenario"); if (f) fclose(f); return NULL; }
    fprintf(f, "@include \"%s\"\nprogrammes = (\n", full);
    for (int k = 0; k < LM_MAX_PROGRAMMES; k++) {   /* year 2019 + k: Jan 2, Apr 1-8, Dec 1 */
        int y = 2019 + k;
        fprintf(f, "%s{ name = \"p%d\"; kind = \"%s\"; regions = [\"all\"]; budget_per_region = 1000.0;\n"
                   "  start = \"%d-01-02\"; end = \"%d-12-01\"; ramp_up_months = 1.0; weak_extra_months = 1.0;\n"
                   "  tranches = (", k ? "," : "", k, k % 2 ? "structural" : "incidental", y, y);
        for (int i = 0; i < LM_MAX_TRANCHES; i++)
            fprintf(f, "%s{ date = \"%d-04-%02d\"; share = %.17g; }", i ? ", " : "", y, i + 1, 1.0 / LM_MAX_TRANCHES);
        fprintf(f, ");\n  underspend = 0.0; substitution = 0.0; substitution_maturity = 0.0; maturity_gain_per_year = 0.0;\n"
                   "  spending = { barrier_removal = 0.2; workfit = 0.2; praktijkleren = 0.2; bbl = 0.0; sector_training = 0.1;\n"
                   "    retraining = 0.1; jobcoach = 0.1; client_managers = 0.1; cooperation = 0.0; }; }\n");
    }
    fprintf(f, ");\nshocks = (\n");
    for (int k = 0; k < LM_MAX_SHOCKS; k++) {   /* year 2019 + k: Jun 1-25, windows Jul to Oct */
        int y = 2019 + k;
        fprintf(f, "%s{ name = \"s%d\"; regions = [\"all\"]; onset = \"%d-06-01\";\n"
                   "  demand = ( { date = \"%d-06-01\"; level = 1.0; } );\n"
                   "  extra_inflow = { per_month = 0.001; start = \"%d-06-05\"; end = \"%d-06-25\";\n"
                   "    held_until = \"%d-06-15\"; held_factor = 0.5; };\n  suspensions = (",
                k ? "," : "", k, y, y, y, y, y);
        for (int i = 0; i < LM_MAX_WINDOWS; i++)
            fprintf(f, "%s{ start = \"%d-%02d-01\"; end = \"%d-%02d-02\"; }", i ? ", " : "", y, 7 + i, y, 7 + i);
        fprintf(f, ");\n  staff_diverted = { share = 0.1; start = \"%d-06-10\"; end = \"%d-06-20\"; };\n"
                   "  online_share = 0.0; online_effect = 1.0; employer_availability = 1.0; }\n", y, y);
    }
    fprintf(f, ");\n");
    fclose(f);
    lm_params *p = load_params(path);
    unlink(path);
    return p;
}

/* At every limit at once the policy has LM_MAX_BOUNDARIES distinct boundaries: the table
 * that holds them (lm_policy_boundaries' caller) is exactly full, and every one of them is
 * a time of the replication's regime table. A smaller LM_MAX_BOUNDARIES fails here. */
static void test_policy_limits(void)
{
    lm_params *p = load_at_limits();
    CHECK(p && p->policy->nprog == LM_MAX_PROGRAMMES && p->policy->nshock == LM_MAX_SHOCKS,
          "a scenario at every policy limit configures (%d programmes, %d shocks)", p ? p->policy->nprog : -1,
          p ? p->policy->nshock : -1);
    if (!p) return;
    double b[LM_MAX_BOUNDARIES];
    int n = lm_policy_boundaries(p->policy, b, LM_MAX_BOUNDARIES), sorted = 1;
    for (int i = 1; i < n; i++) sorted &= b[i] > b[i - 1];
    CHECK(n == LM_MAX_BOUNDARIES && sorted, "%d distinct boundaries, increasing (the table holds %d)", n, LM_MAX_BOUNDARIES);
    fixture *f = fx_new();
    f->pol = *p->policy;
    fx_start(f, 1, 1);
    int found = 0;
    for (int i = 0; i < n; i++) found += fx_regime_index(f, b[i]) >= 0;
    CHECK(found == n && f->w->nregime <= regime_capacity(&f->p), "every boundary is a regime time (%d of %d; %d regimes)",
          found, n, f->w->nregime);
    fx_stop(f);
    lm_params_destroy(p);
}

int main(int argc, char **argv)
{
    (void)argc;
    base = load_base(argv[0]);
    CHECK(base != NULL && base->nregions >= NREG, "scenarios/base.cfg configures");
    if (!base) return check_summary();
    test_stale_person_event();
    test_schedule_next();
    test_boost();
    test_month_start();
    test_inflow();
    test_shock_inflow();
    test_self_exit();
    test_queue_and_other_exit();
    test_stage_ends();
    test_completion();
    test_dropout();
    test_relapse_recover();
    test_match_coach_durable_loss();
    test_conversion();
    test_basisbaan_subsidy();
    test_vacancy_chain();
    test_profile_round();
    test_regime();
    test_suspension();
    test_origin();
    test_slot_reuse();
    test_bound_spike();
    test_tension_saturation();
    test_distance_factor();
    test_held_search();
    test_policy_limits();
    lm_params_destroy(base);
    return check_summary();
}
