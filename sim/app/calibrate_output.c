/* calibrate_output.c: what `sim calibrate` writes (calibrate_output.h): the
 * target table on stdout and as Markdown, the record in OUT.h5, the overlay
 * scenario OUT.cfg, and with --uncertainty its tables and OUT-uncertainty.cfg.
 * Every file is written under a temporary name and renamed when whole. */
#define _GNU_SOURCE
#include "calibrate_output.h"

#include <errno.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../io/files.h"
#include "../io/out.h"
#include "run.h"

/* An out-of-sample target's miss in standard deviations of a prediction whose
 * model value has mean `mean` and spread `sd` from the parameters: the
 * tolerance (times s2) and that spread combined. NAN in sample: a fitted
 * target's residual has a smaller variance (about s2 tol^2 minus that spread),
 * so the same ratio would not compare. */
static double miss_z(const calib *cal, int i, double mean, double sd)
{
    const target *t = &cal->tg[i];
    if (t->fit) return NAN;
    return (mean - t->value) / sqrt(cal->unc.s2 * t->tol * t->tol + sd * sd);
}

/* ... linearised: the model mean at the point, the delta method's spread. */
static double predictive_z(const calib *cal, int i) { return miss_z(cal, i, cal->tg[i].mean, cal->tsd[i]); }

/* ... under the posterior: its mean and spread of the model's value. */
static double posterior_z(const calib *cal, int i) { return miss_z(cal, i, cal->post_tmean[i], cal->post_tsd[i]); }

/* The weighted mean of the draws' log-likelihood noise (the draws that count). */
static double posterior_noise(const calib *cal)
{
    double s = 0.0;
    for (int d = 0; d < cal->npost; d++) s += cal->post_w[d] * cal->post_noise[d];
    return s;
}

/* One line on how far the weighted draws can be trusted. */
static const char *posterior_verdict(const calib *cal)
{
    double share = cal->post.ess / (double)cal->npost;
    if (cal->post.ess < SIM_POSTERIOR_MIN_ESS || cal->post.max_w > SIM_POSTERIOR_MAX_WEIGHT)
        return "too few effective draws: not to be used";
    if (share < SIM_POSTERIOR_CARE_SHARE) return "usable with care: the proposal fits the posterior poorly";
    return "usable";
}

static void print_posterior(const calib *cal, FILE *f)
{
    fprintf(f, "\nposterior by importance sampling (%d parameter sets in %d round%s, the first from the linearised "
            "normal; docs/calibration.md):\n  effective sample size %.1f (%.0f%%), largest weight %.3f, "
            "log-likelihood noise %.2f: %s\n  effective sample size after each round:", cal->npost, cal->post_rounds,
            cal->post_rounds == 1 ? "" : "s", cal->post.ess, 100.0 * cal->post.ess / cal->npost, cal->post.max_w,
            posterior_noise(cal), posterior_verdict(cal));
    for (int s = 0; s < cal->post_rounds; s++) fprintf(f, " %.1f", cal->post_ess_round[s]);
    fputc('\n', f);
    fprintf(f, "  %-52s %12s %12s %12s %12s %27s\n", "parameter", "linearised", "std. error", "post. mean", "post. sd",
            "95% interval");
    for (int j = 0; j < cal->npar; j++) {
        char iv[64];
        snprintf(iv, sizeof iv, "%.5g .. %.5g", cal->post_q025[j], cal->post_q975[j]);
        fprintf(f, "  %-52s %12.6g %12.4g %12.6g %12.4g %27s\n", cal->par[j].key, cal->at[j], cal->se[j], cal->post_mean[j],
                cal->post_sd[j], iv);
    }
    fprintf(f, "  %-26s %12s %12s %14s %14s %8s  %-6s\n", "target", "value", "model", "posterior mean", "posterior sd",
            "z (out)", "sample");
    for (int i = 0; i < cal->ntg; i++) {
        char z[16] = "";
        if (!cal->tg[i].fit) snprintf(z, sizeof z, "%+.2f", posterior_z(cal, i));
        fprintf(f, "  %-26s %12.6g %12.6g %14.6g %14.4g %8s  %-6s\n", cal->tg[i].name, cal->tg[i].value, cal->tg[i].mean,
                cal->post_tmean[i], cal->post_tsd[i], z, cal->tg[i].fit ? "in" : "out");
    }
}

void calib_print_uncertainty(const calib *cal, FILE *f)
{
    fprintf(f, "\nparameter uncertainty (linearised at the point assessed; step %g of each bound range; "
            "variance factor s2 = %.3g; docs/calibration.md):\n", cal->req->step, cal->unc.s2);
    fprintf(f, "  %-52s %12s %12s %27s %10s %6s\n", "parameter", "value", "std. error", "95% interval", "identified", "noise");
    for (int j = 0; j < cal->npar; j++) {
        const param *p = &cal->par[j];
        double lo = fmax(p->lo, cal->at[j] - 1.96 * cal->se[j]), hi = fmin(p->hi, cal->at[j] + 1.96 * cal->se[j]);
        char iv[64];
        snprintf(iv, sizeof iv, "%.5g .. %.5g", lo, hi);
        fprintf(f, "  %-52s %12.6g %12.4g %27s %9.0f%% %5.0f%%\n", p->key, cal->at[j], cal->se[j], iv, 100.0 * cal->ident[j],
                100.0 * cal->noise[j]);
    }
    fprintf(f, "  (noise: the share of a parameter's information that the Jacobian's simulation noise alone would give)\n");
    fprintf(f, "  correlations beyond +-0.5:");
    int any = 0;
    for (int r = 0; r < cal->npar; r++)
        for (int c = 0; c < r; c++)
            if (fabs(cal->corr[r * cal->npar + c]) > 0.5)
                fprintf(f, "%s %s ~ %s %+.2f", any++ ? ";" : "", cal->par[c].key, cal->par[r].key, cal->corr[r * cal->npar + c]);
    fprintf(f, "%s\n", any ? "" : " none");
    fprintf(f, "  %-26s %12s %12s %14s %8s  %-6s", "target", "value", "model", "sd (params)", "z (out)", "sample");
    if (cal->ndraw) fprintf(f, " %14s %14s", "simulated mean", "simulated sd");
    fputc('\n', f);
    for (int i = 0; i < cal->ntg; i++) {
        char z[16] = "";
        if (!cal->tg[i].fit) snprintf(z, sizeof z, "%+.2f", predictive_z(cal, i));
        fprintf(f, "  %-26s %12.6g %12.6g %14.4g %8s  %-6s", cal->tg[i].name, cal->tg[i].value, cal->tg[i].mean,
                cal->tsd[i], z, cal->tg[i].fit ? "in" : "out");
        if (cal->ndraw) fprintf(f, " %14.6g %14.4g", cal->sim_mean[i], cal->sim_sd[i]);
        fputc('\n', f);
    }
    if (cal->ndraw)
        fprintf(f, "  (simulated: over %d parameter sets drawn from the linearised joint normal truncated to the bounds; "
                   "where the model is linear over the intervals, the simulated sd is the sd from the parameters)\n", cal->ndraw);
    if (cal->npost) print_posterior(cal, f);
}

/* -------------------------------------------------------------- results -- */

void calib_print_table(const calib *cal, FILE *f)
{
    fprintf(f, "  %-26s %12s %12s %12s %25s  %-6s %s\n", "target", "value", "tolerance", "model", "95% CI of the mean", "sample", "");
    for (int i = 0; i < cal->ntg; i++) {
        const target *t = &cal->tg[i];
        char ci[64];
        if (isfinite(t->lo)) snprintf(ci, sizeof ci, "%.6g .. %.6g", t->lo, t->hi);
        else snprintf(ci, sizeof ci, "%s", "n/a");
        fprintf(f, "  %-26s %12.6g %12.6g %12.6g %25s  %-6s %s\n", t->name, t->value, t->tol, t->mean, ci,
                t->fit ? "in" : "out", passes(t) ? "pass" : "FAIL");
    }
}

static void markdown_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else fputc(*s, f);
    }
}

/* x to 3 significant digits without an exponent (6133 -> "6130", 0.01864 -> "0.0186",
 * 0.9996 -> "1.00"). */
static const char *sig3(double x, char *buf, size_t size)
{
    char r[32];
    snprintf(r, sizeof r, "%.3g", x);   /* rounded first, so that the magnitude is the rounded value's */
    x = strtod(r, NULL);
    int mag = x != 0.0 && isfinite(x) ? (int)floor(log10(fabs(x))) : 0;
    int dec = mag >= 2 ? 0 : 2 - mag;
    double unit = mag >= 2 ? pow(10.0, mag - 2) : 1.0;
    snprintf(buf, size, "%.*f", dec, mag >= 2 ? nearbyint(x / unit) * unit : x);
    return buf;
}

static void markdown_draws(const calib *cal, FILE *f);
static void markdown_posterior(const calib *cal, FILE *f);

/* The --uncertainty tables: parameters, then every target's spread and miss. */
static void markdown_uncertainty(const calib *cal, FILE *f)
{
    fprintf(f, "\nParameter uncertainty, linearised at the point assessed (central differences of %g of each "
            "bound range; variance factor s2 = %.3g):\n\n", cal->req->step, cal->unc.s2);
    fprintf(f, "| parameter | value | standard error | 95%% interval | identified | noise |\n|---|---:|---:|---:|---:|---:|\n");
    for (int j = 0; j < cal->npar; j++) {
        const param *p = &cal->par[j];
        double lo = fmax(p->lo, cal->at[j] - 1.96 * cal->se[j]), hi = fmin(p->hi, cal->at[j] + 1.96 * cal->se[j]);
        char se[32];
        fprintf(f, "| `%s` | %.4g | %s | %.4g to %.4g | %.0f%% | %.0f%% |\n", p->key, cal->at[j], sig3(cal->se[j], se, sizeof se),
                lo, hi, 100.0 * cal->ident[j], 100.0 * cal->noise[j]);
    }
    fprintf(f, "\nIdentified: the share of the bounds' variance the targets remove. Noise: the share of the parameter's "
               "information from the targets that the Jacobian's simulation noise alone would give on average (near 0: a "
               "measured sensitivity; the larger, the more its standard error is understated).\n");
    fprintf(f, "\n| target | value | model mean | sd from the parameters | z (out of sample) | sample |\n"
               "|---|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < cal->ntg; i++) {
        char sd[32], z[16] = "";
        if (!cal->tg[i].fit) snprintf(z, sizeof z, "%+.2f", predictive_z(cal, i));
        fprintf(f, "| %s | %.6g | %.6g | %s | %s | %s |\n", cal->tg[i].name, cal->tg[i].value, cal->tg[i].mean,
                sig3(cal->tsd[i], sd, sizeof sd), z, cal->tg[i].fit ? "in" : "out");
    }
    if (cal->ndraw) markdown_draws(cal, f);
    if (cal->npost) markdown_posterior(cal, f);
}

/* The --draws table: the linearised spread beside the simulated one. */
static void markdown_draws(const calib *cal, FILE *f)
{
    fprintf(f, "\nThe linearisation checked by simulation: %d parameter sets drawn from the linearised joint normal "
               "truncated to the bounds, each run with the same seed and replications (`--draws`):\n\n"
               "| target | model mean at the point | sd from the parameters, linearised | mean over the draws | sd over the draws | ratio |\n"
               "|---|---:|---:|---:|---:|---:|\n", cal->ndraw);
    for (int i = 0; i < cal->ntg; i++) {
        char a[32], b[32];
        fprintf(f, "| %s | %.6g | %s | %.6g | %s | %.2f |\n", cal->tg[i].name, cal->tg[i].mean, sig3(cal->tsd[i], a, sizeof a),
                cal->sim_mean[i], sig3(cal->sim_sd[i], b, sizeof b), cal->sim_sd[i] / cal->tsd[i]);
    }
}

/* The --posterior tables: the parameters under the posterior beside the
 * linearisation, then every target's value under it. */
static void markdown_posterior(const calib *cal, FILE *f)
{
    char a[32], b[32];
    fprintf(f, "\nThe posterior by adaptive importance sampling (`--posterior %d --rounds %d`): %d parameter sets in %d "
               "round%s, the first drawn from the linearised normal (its spread doubled in half of them), each later one "
               "around the weighted draws so far, all truncated to the bounds, each run with the same seed and "
               "replications, and weighted by likelihood over the mixture of the rounds' proposals. Effective sample "
               "size %.1f of %d (%.0f%%; after each round:", cal->npost, cal->post_rounds, cal->npost, cal->post_rounds,
            cal->post_rounds == 1 ? "" : "s", cal->post.ess, cal->npost, 100.0 * cal->post.ess / cal->npost);
    for (int s = 0; s < cal->post_rounds; s++) fprintf(f, "%s %.1f", s ? "," : "", cal->post_ess_round[s]);
    fprintf(f, "), largest weight %.3f, log-likelihood noise from the replications %.2f (weighted mean sd): %s.\n\n",
            cal->post.max_w, posterior_noise(cal), posterior_verdict(cal));
    fprintf(f, "| parameter | linearised: value | standard error | posterior mean | posterior sd | ratio of sds | "
               "posterior 95%% interval |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (int j = 0; j < cal->npar; j++)
        fprintf(f, "| `%s` | %.4g | %s | %.4g | %s | %.2f | %.4g to %.4g |\n", cal->par[j].key, cal->at[j],
                sig3(cal->se[j], a, sizeof a), cal->post_mean[j], sig3(cal->post_sd[j], b, sizeof b),
                cal->post_sd[j] / cal->se[j], cal->post_q025[j], cal->post_q975[j]);
    fprintf(f, "\nPosterior correlations beyond +-0.5:");
    int any = 0;
    for (int r = 0; r < cal->npar; r++)
        for (int c = 0; c < r; c++)
            if (fabs(cal->post_corr[r * cal->npar + c]) > 0.5)
                fprintf(f, "%s `%s` ~ `%s` %+.2f", any++ ? ";" : "", cal->par[c].key, cal->par[r].key,
                        cal->post_corr[r * cal->npar + c]);
    fprintf(f, "%s\n", any ? "." : " none.");
    fprintf(f, "\n| target | value | model mean at the point | posterior mean | posterior sd | z (out of sample) | sample |\n"
               "|---|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < cal->ntg; i++) {
        char z[16] = "";
        if (!cal->tg[i].fit) snprintf(z, sizeof z, "%+.2f", posterior_z(cal, i));
        fprintf(f, "| %s | %.6g | %.6g | %.6g | %s | %s | %s |\n", cal->tg[i].name, cal->tg[i].value, cal->tg[i].mean,
                cal->post_tmean[i], sig3(cal->post_tsd[i], a, sizeof a), z, cal->tg[i].fit ? "in" : "out");
    }
}

/* The target table as Markdown (docs/validation.md), written atomically. */
int calib_write_markdown(const calib *cal, const char *path)
{
    char *tmp = NULL;
    if (!(tmp = sim_partial_name(path))) return -1;
    (void)sim_partial_clean(path);
    FILE *f = fopen(tmp, "w");
    if (!f) { sim_log_error("%s: %s", path, strerror(errno)); free(tmp); return -1; }
    time_t now = time(NULL);
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
    fprintf(f, "<!-- generated by: %s (%s); do not edit: `make %s` writes it -->\n",
            cal->req->command_line ? cal->req->command_line : "sim calibrate --check", day,
            cal->have_unc ? "calibration-uncertainty" : "validate");
    if (cal->have_unc)
        fprintf(f, "# How well the targets pin the parameters down\n\nTargets file `%s`, scenario `%s`. The method and "
                "how to read these tables: docs/calibration.md, \"How well the history pins the parameters down\".\n\n",
                cal->req->targets, cal->req->scenario);
    fprintf(f, "| target | source | value | tolerance | model mean | 95%% CI of the mean | sample | result |\n");
    fprintf(f, "|---|---|---:|---:|---:|---:|---|---|\n");
    for (int i = 0; i < cal->ntg; i++) {
        const target *t = &cal->tg[i];
        fprintf(f, "| %s | ", t->name);
        markdown_escape(f, t->source);
        char tol[32];   /* %.3g unless that takes an exponent (8,040 read "8.04e+03") */
        snprintf(tol, sizeof tol, "%.3g", t->tol);
        if (strchr(tol, 'e')) sig3(t->tol, tol, sizeof tol);
        fprintf(f, " | %.6g | %s | %.6g | %.6g to %.6g | %s | %s |\n", t->value, tol, t->mean,
                t->lo, t->hi, t->fit ? "in" : "out", passes(t) ? "pass" : "**fail**");
    }
    fprintf(f, "\n%d replications at population scale %g (the scenario's %g times %g), seed as in the scenario "
            "unless the command says otherwise.\n", cal->nrep, cal->scale0 * cal->req->scale, cal->scale0, cal->req->scale);
    if (cal->have_unc) markdown_uncertainty(cal, f);
    int bad = ferror(f) | (fclose(f) != 0);
    if (bad || sim_file_publish(tmp, path) != 0) {
        sim_log_error("%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* /calibration/table: one row per target at the best point. */
typedef struct {
    char   name[CAL_NAME];
    double value, tolerance, model_mean, ci_low, ci_high;
    int8_t in_sample, pass;
} table_row;

static int write_table(hid_t g, const calib *cal)
{
    table_row *rows = calloc((size_t)cal->ntg, sizeof *rows);
    hid_t str = H5Tcopy(H5T_C_S1), t = -1, d = -1;
    int rc = -1;
    if (!rows || str < 0 || H5Tset_size(str, CAL_NAME) < 0) goto done;
    for (int i = 0; i < cal->ntg; i++) {
        const target *x = &cal->tg[i];
        rows[i] = (table_row){.value = x->value, .tolerance = x->tol, .model_mean = x->mean, .ci_low = x->lo,
                              .ci_high = x->hi, .in_sample = (int8_t)x->fit, .pass = (int8_t)passes(x)};
        snprintf(rows[i].name, CAL_NAME, "%s", x->name);
    }
    t = H5Tcreate(H5T_COMPOUND, sizeof(table_row));
    H5Tinsert(t, "name", HOFFSET(table_row, name), str);
    H5Tinsert(t, "value", HOFFSET(table_row, value), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "tolerance", HOFFSET(table_row, tolerance), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "model_mean", HOFFSET(table_row, model_mean), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "ci_low", HOFFSET(table_row, ci_low), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "ci_high", HOFFSET(table_row, ci_high), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "in_sample", HOFFSET(table_row, in_sample), H5T_NATIVE_INT8);
    H5Tinsert(t, "pass", HOFFSET(table_row, pass), H5T_NATIVE_INT8);
    d = sim_out_table(g, "table", t, (size_t)cal->ntg, rows);
    const char *src[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->ntg; i++) src[i] = cal->tg[i].source;
    rc = d >= 0 && sim_out_attr_strings(d, "sources", src, (size_t)cal->ntg) == 0 ? 0 : -1;
done:
    if (d >= 0) H5Dclose(d);
    if (t >= 0) H5Tclose(t);
    if (str >= 0) H5Tclose(str);
    free(rows);
    return rc;
}

/* A 2-D double dataset [rows][cols] with the column names as an attribute. */
static int write_matrix(hid_t g, const char *name, const double *data, int rows, int cols,
                        const char *const *colnames, const char *units)
{
    hsize_t dims[2] = {(hsize_t)rows, (hsize_t)(cols ? cols : 1)};
    hid_t d = sim_out_array(g, name, H5T_NATIVE_DOUBLE, cols ? 2 : 1, dims, data);
    if (d < 0) return -1;
    int rc = 0;
    if (cols) rc |= sim_out_attr_strings(d, "columns", colnames, (size_t)cols);
    rc |= sim_out_attr_string(d, "units", units);
    H5Dclose(d);
    return rc;
}

/* /calibration/uncertainty: the Jacobian and the linearised covariance. */
static int write_uncertainty(hid_t parent, const calib *cal)
{
    hid_t g = sim_out_group(parent, "uncertainty");
    if (g < 0) return -1;
    const char *pn[CAL_MAX_PARAMS], *tn[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->npar; i++) pn[i] = cal->par[i].key;
    for (int i = 0; i < cal->ntg; i++) tn[i] = cal->tg[i].name;
    int k = cal->npar, n = cal->ntg;
    int rc = sim_out_attr_strings(g, "parameters", pn, (size_t)k) | sim_out_attr_strings(g, "targets", tn, (size_t)n);
    rc |= write_matrix(g, "jacobian", cal->jac, n, k, pn, "target unit per parameter unit; row i is target i of the group's targets");
    rc |= write_matrix(g, "covariance", cal->cov, k, k, pn, "parameter units squared; rows and columns: the group's parameters");
    rc |= write_matrix(g, "correlation", cal->corr, k, k, pn, "1");
    rc |= write_matrix(g, "value", cal->at, k, 0, NULL, "as in the scenario; the point assessed");
    rc |= write_matrix(g, "standard_error", cal->se, k, 0, NULL, "as in the scenario");
    double lo[CAL_MAX_PARAMS], hi[CAL_MAX_PARAMS];
    for (int j = 0; j < k; j++) lo[j] = cal->par[j].lo, hi[j] = cal->par[j].hi;
    rc |= write_matrix(g, "lower", lo, k, 0, NULL, "as in the scenario: the parameter's lower bound");
    rc |= write_matrix(g, "upper", hi, k, 0, NULL, "as in the scenario: the parameter's upper bound");
    rc |= write_matrix(g, "identified", cal->ident, k, 0, NULL, "share of the bounds' variance the targets remove");
    rc |= write_matrix(g, "target_sd", cal->tsd, n, 0, NULL, "as in the targets file: sd of the model value from the parameters");
    rc |= write_matrix(g, "jacobian_se", cal->jac_se, n, k, pn, "as jacobian: standard error of each entry over the replications");
    rc |= write_matrix(g, "noise_share", cal->noise, k, 0, NULL, "1: the part of each parameter's information the Jacobian's noise gives");
    if (cal->ndraw) {
        rc |= write_matrix(g, "draws", cal->draw_x, cal->ndraw, k, pn, "as in the scenario: the parameter sets of --draws");
        rc |= write_matrix(g, "draw_targets", cal->draw_t, cal->ndraw, n, tn, "as in the targets file: the model means there");
        rc |= write_matrix(g, "simulated_sd", cal->sim_sd, n, 0, NULL, "as in the targets file: sd over the draws");
        rc |= write_matrix(g, "simulated_mean", cal->sim_mean, n, 0, NULL, "as in the targets file: mean over the draws");
    }
    rc |= H5LTset_attribute_double(g, ".", "variance_factor", &cal->unc.s2, 1) < 0;
    rc |= H5LTset_attribute_double(g, ".", "step", &cal->req->step, 1) < 0;
    rc |= sim_out_attr_string(g, "method", "Gauss-Newton (Laplace) covariance (G'G/s2 + P)^-1 of the in-sample targets, "
                              "G = Jacobian / tolerance by central differences, P = 12 / (upper - lower)^2; docs/calibration.md");
    H5Gclose(g);
    return rc ? -1 : 0;
}

/* /calibration/posterior: the weighted draws of --posterior and what they give. */
static int write_posterior(hid_t parent, const calib *cal)
{
    hid_t g = sim_out_group(parent, "posterior");
    if (g < 0) return -1;
    const char *pn[CAL_MAX_PARAMS], *tn[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->npar; i++) pn[i] = cal->par[i].key;
    for (int i = 0; i < cal->ntg; i++) tn[i] = cal->tg[i].name;
    int k = cal->npar, n = cal->ntg, m = cal->npost;
    int rc = sim_out_attr_strings(g, "parameters", pn, (size_t)k) | sim_out_attr_strings(g, "targets", tn, (size_t)n);
    rc |= write_matrix(g, "draws", cal->post_x, m, k, pn, "as in the scenario: the parameter sets drawn from the proposal");
    rc |= write_matrix(g, "draw_targets", cal->post_t, m, n, tn, "as in the targets file: the model means there");
    rc |= write_matrix(g, "log_likelihood", cal->post_loglik, m, 0, NULL, "1: -RSS / (2 s2) over the in-sample targets");
    rc |= write_matrix(g, "log_proposal", cal->post_logq, m, 0, NULL, "1: log density of the rounds' mixture of proposals");
    rc |= write_matrix(g, "weight", cal->post_w, m, 0, NULL, "1: importance weights, summing to 1");
    rc |= write_matrix(g, "log_likelihood_noise", cal->post_noise, m, 0, NULL,
                       "1: sd of log_likelihood from the replications' spread (delta method)");
    rc |= write_matrix(g, "mean", cal->post_mean, k, 0, NULL, "as in the scenario: posterior mean");
    rc |= write_matrix(g, "sd", cal->post_sd, k, 0, NULL, "as in the scenario: posterior sd");
    rc |= write_matrix(g, "q025", cal->post_q025, k, 0, NULL, "as in the scenario: posterior 2.5% quantile");
    rc |= write_matrix(g, "median", cal->post_q500, k, 0, NULL, "as in the scenario: posterior median");
    rc |= write_matrix(g, "q975", cal->post_q975, k, 0, NULL, "as in the scenario: posterior 97.5% quantile");
    rc |= write_matrix(g, "correlation", cal->post_corr, k, k, pn, "1: posterior correlations");
    rc |= write_matrix(g, "target_mean", cal->post_tmean, n, 0, NULL, "as in the targets file: the model value under the posterior");
    rc |= write_matrix(g, "target_sd", cal->post_tsd, n, 0, NULL, "as in the targets file: its sd under the posterior");
    double widen = SIM_POSTERIOR_WIDEN;
    int r = cal->post_rounds;
    rc |= write_matrix(g, "round", cal->post_round, m, 0, NULL, "1: the round that drew each set (0 = the first)");
    rc |= write_matrix(g, "proposal_centre", cal->post_at, r, k, pn, "as in the scenario: each round's proposal mean");
    rc |= write_matrix(g, "proposal_log_inside", cal->post_logz, r, 0, NULL, "1: log of each round's proposal mass inside the bounds");
    rc |= write_matrix(g, "effective_sample_size_by_round", cal->post_ess_round, r, 0, NULL, "draws: after each round");
    rc |= H5LTset_attribute_double(g, ".", "effective_sample_size", &cal->post.ess, 1) < 0;
    rc |= H5LTset_attribute_double(g, ".", "max_weight", &cal->post.max_w, 1) < 0;
    rc |= H5LTset_attribute_double(g, ".", "proposal_widen", &widen, 1) < 0;
    rc |= sim_out_attr_string(g, "method", "adaptive importance sampling in rounds: prior uniform on the bounds, likelihood "
                              "exp(-RSS/(2 s2)); round 0's proposal N(value, Sigma) and N(value, widen^2 Sigma) half and half "
                              "(../uncertainty), each later round's around the weighted draws so far, all truncated to the "
                              "bounds; weights: likelihood over the deterministic mixture of the rounds' proposals; "
                              "docs/calibration.md");
    H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_record(sim_out *out, const calib *cal, const char *status)
{
    hid_t g = sim_out_group(sim_out_file(out), "calibration");
    if (g < 0) return -1;
    const char *pn[CAL_MAX_PARAMS], *tn[CAL_MAX_TARGETS];
    for (int i = 0; i < cal->npar; i++) pn[i] = cal->par[i].key;
    for (int i = 0; i < cal->ntg; i++) tn[i] = cal->tg[i].name;
    int rc = 0;
    if (cal->nrec > 0) {   /* none with --check */
        rc |= write_matrix(g, "parameters", cal->rec_x, cal->nrec, cal->npar, pn, "as in the scenario");
        rc |= write_matrix(g, "targets", cal->rec_t, cal->nrec, cal->ntg, tn, "as in the targets file");
        rc |= write_matrix(g, "objective", cal->rec_obj, cal->nrec, 0, NULL, "mean squared miss in tolerances, in-sample targets");
    }
    rc |= write_table(g, cal);
    if (cal->have_unc) rc |= write_uncertainty(g, cal);
    if (cal->npost) rc |= write_posterior(g, cal);
    rc |= sim_out_attr_string(g, "status", status);
    if (cal->nrec > 0) rc |= sim_out_attr_string(g, "algorithm", cal->req->algorithm);
    rc |= sim_out_attr_string(g, "targets_file", cal->req->targets);
    if (cal->nrec > 0) rc |= sim_out_attr_int(g, "best_evaluation", cal->best);
    H5Gclose(g);
    return rc ? -1 : 0;
}

/* OUT-uncertainty.cfg for OUT.h5 (allocated; NULL when out of memory). */
char *calib_sibling_path(const char *h5path, const char *suffix)
{
    size_t n = strlen(h5path);
    if (n > 3 && !strcmp(h5path + n - 3, ".h5")) n -= 3;
    char *path = NULL;
    return asprintf(&path, "%.*s%s", (int)n, h5path, suffix) < 0 ? NULL : path;
}

static int stage_publish(staged *st, int quiet, const char *what)
{
    int rc = 0;
    if (st->tmp && sim_file_publish(st->tmp, st->path) != 0) {
        sim_log_error("%s: cannot write: %s", st->path, strerror(errno));
        unlink(st->tmp);
        rc = -1;
    } else if (st->tmp && !quiet) printf("%s: %s\n", what, st->path);
    free(st->path), free(st->tmp);
    *st = (staged){0};
    return rc;
}

void calib_stage_discard(staged *st)
{
    if (st->tmp) unlink(st->tmp);
    free(st->path), free(st->tmp);
    *st = (staged){0};
}

/* OUT.h5 with the record; with `list` (a staged OUT-uncertainty.cfg, or NULL)
 * both appear under their final names or neither does (but for a failed last
 * rename, which is reported). */
int calib_write_hdf5(const calib *cal, const char *path, const char *status, staged *list)
{
    sim_out *out = sim_out_create(path);
    if (!out) {
        if (list) calib_stage_discard(list);
        return -1;
    }
    sim_provenance p = {"calibration", cal->req->scenario, "calibration",
                        cal->req->command_line ? cal->req->command_line : "", (uint64_t)(cal->req->seed < 0 ? cal->seed0 : cal->req->seed),
                        cal->nrep, 0, NULL, NAN};
    long days = 0;
    if (sim_date_parse(cal->origin, &days) == 0) p.origin_days = days;
    if (sim_out_provenance(out, &p) != 0 || write_record(out, cal, status) != 0 || sim_out_finish(out) != 0) {
        sim_out_abort(out);
        if (list) calib_stage_discard(list);
        return -1;
    }
    if (list && stage_publish(list, cal->req->quiet, "uncertainty list") != 0) {
        sim_out_abort(out);
        return -1;
    }
    return sim_out_publish(out);
}

/* Path of `dest` relative to the directory of `from` (both made absolute). */
static char *relative_path(const char *dest, const char *from)
{
    char *t = realpath(dest, NULL), *f = NULL, *dir = strdup(from), *out = NULL;
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash) *slash = 0;
    f = realpath(slash ? (*dir ? dir : "/") : ".", NULL);
    if (t && f) {
        size_t common = 0, i = 0;
        for (; t[i] && f[i] && t[i] == f[i]; i++)
            if (t[i] == '/') common = i;
        if (!f[i] && t[i] == '/') common = i;   /* from's directory is a prefix of target */
        size_t ups = 0;
        for (const char *q = f + common; *q; q++) ups += *q == '/';
        if (f[common] == 0 || !strcmp(f, "/")) ups = 0;
        size_t len = 3 * ups + strlen(t + common) + 1;
        out = malloc(len);
        if (out) {
            out[0] = 0;
            for (size_t k = 0; k < ups; k++) strcat(out, "../");
            strcat(out, t + common + 1);
        }
    }
    free(t);
    free(f);
    free(dir);
    return out;
}

/* The overlay scenario: the calibrated scenario with the fitted values as overrides. */
int calib_write_overlay(const calib *cal, const char *h5path, double obj, const char *status)
{
    char *path = calib_sibling_path(h5path, ".cfg"), *tmp = NULL, *inc = NULL;
    if (!path) return -1;
    if (!(tmp = sim_partial_name(path))) { free(path); return -1; }
    (void)sim_partial_clean(path);
    inc = relative_path(cal->req->scenario, path);
    FILE *f = inc ? fopen(tmp, "w") : NULL;
    int rc = -1;
    if (f) {
        time_t now = time(NULL);
        char day[32];
        strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
        fprintf(f, "# %s: %s with calibrated values (sim calibrate, %s)\n# command: %s\n# %s; objective %.6g "
                "after %d evaluations (%d replications, population scale %g)\n@include \"%s\"\n\n%s = (\n",
                path, cal->req->scenario, day, cal->req->command_line ? cal->req->command_line : "", status, obj,
                cal->nrec, cal->nrep, cal->scale0 * cal->req->scale, inc, cal->list);
        for (int i = 0; i < cal->npar; i++)
            fprintf(f, "  { key = \"%s\"; value = %.10g; source = \"calibrated: %s, %s, objective %.4g; bounds %g..%g%s%s\"; }%s\n",
                    cal->par[i].key, cal->rec_x[cal->best * cal->npar + i], cal->req->targets, day, obj, cal->par[i].lo,
                    cal->par[i].hi, cal->par[i].source[0] ? "; " : "", cal->par[i].source, i + 1 < cal->npar ? "," : "");
        fputs(");\n", f);
        rc = (ferror(f) | (fclose(f) != 0)) ? -1 : 0;
        if (rc == 0 && sim_file_publish(tmp, path) != 0) rc = -1;
    }
    if (rc) { sim_log_error("%s: cannot write the overlay: %s", path, strerror(errno)); unlink(tmp); }
    else if (!cal->req->quiet) printf("overlay: %s\n", path);
    free(path);
    free(tmp);
    free(inc);
    return rc;
}

/* x exactly (%.17g), always as a libconfig float ("1.0", not "1": an array mixes no types). */
static const char *cfg_real(double x, char v[40])
{
    snprintf(v, 40, "%.17g", x);
    if (!strpbrk(v, ".eEn")) strcat(v, ".0");
    return v;
}

/* OUT-uncertainty.cfg, staged: the fitted parameters as declarations for an
 * `uncertainty` list (uncertainty.h): each normal with its standard error,
 * truncated to its bounds, and one correlation block (exact: %.17g, so the
 * matrix read back is the positive-definite one computed), so that `sim run
 * --draw-parameters` and the sweep designs draw them jointly. */
int calib_stage_uncertainty_list(const calib *cal, const char *h5path, staged *st)
{
    char *path = calib_sibling_path(h5path, "-uncertainty.cfg"), *tmp = NULL;
    if (!path) return -1;
    if (!(tmp = sim_partial_name(path))) { free(path); return -1; }
    (void)sim_partial_clean(path);
    FILE *f = fopen(tmp, "w");
    int rc = -1, k = cal->npar;
    if (f) {
        time_t now = time(NULL);
        char day[32];
        strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
        fprintf(f, "# %s: the parameter uncertainty of %s against %s (sim calibrate --uncertainty, %s)\n"
                "# command: %s\n# Linearised at the point assessed; variance factor %.4g; docs/calibration.md.\n"
                "# Not a scenario: list entries to @include inside `uncertainty = ( ... );`.\n",
                path, cal->req->scenario, cal->req->targets, day, cal->req->command_line ? cal->req->command_line : "",
                cal->unc.s2);
        for (int j = 0; j < k; j++) {
            const param *p = &cal->par[j];
            double mean = fmin(p->hi, fmax(p->lo, cal->at[j]));
            fprintf(f, "  { key = \"%s\"; dist = \"normal\"; mean = %.10g; sd = %.6g; min = %.10g; max = %.10g;\n"
                    "    source = \"calibrated: %s, %s; standard error from the targets' Jacobian (identified %.0f%%)\"; },\n",
                    p->key, mean, cal->se[j], p->lo, p->hi, cal->req->targets, day, 100.0 * cal->ident[j]);
        }
        fputs("  { correlation = [", f);
        for (int j = 0; j < k; j++) fprintf(f, "%s\"%s\"", j ? ", " : "", cal->par[j].key);
        fputs("];\n    matrix = [", f);
        for (int r = 0; r < k; r++) {
            fputs(r ? ",\n              " : "", f);
            for (int c = 0; c < k; c++) {
                char v[40];
                fprintf(f, "%s%s", c ? ", " : "", cfg_real(r == c ? 1.0 : cal->corr[(r > c ? r : c) * k + (r > c ? c : r)], v));
            }
        }
        fprintf(f, "];\n    source = \"calibrated: %s, %s; correlations of the linearised covariance\"; }\n", cal->req->targets, day);
        rc = (ferror(f) | (fclose(f) != 0)) ? -1 : 0;
    }
    if (rc) {
        sim_log_error("%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(path);
        free(tmp);
        return -1;
    }
    *st = (staged){path, tmp};
    return 0;
}

/* A fit written without --uncertainty replaces OUT.h5: an OUT-uncertainty.cfg of
 * an earlier run would describe another fit, so it goes (with a note). */
void calib_remove_stale_list(const char *h5path)
{
    char *path = calib_sibling_path(h5path, "-uncertainty.cfg");
    if (path && unlink(path) == 0)
        fprintf(stderr, "sim: calibrate: removed %s (an earlier --uncertainty run's; this fit has none)\n", path);
    free(path);
}

