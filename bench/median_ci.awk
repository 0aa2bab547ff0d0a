# median_ci.awk: the median of numbers sorted ascending, one per line, and a
# distribution-free 95% interval for it: order statistics k and n+1-k, k the largest with
# P(Binomial(n, 1/2) < k) <= 0.025 (none below 6 values). Prints "n median lo hi", with lo
# and hi empty when there are too few values. Used by reference.sh and scaling.sh.
{ v[NR] = $1 }
END {
  n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  k = 0; cdf = 0; p = 0.5 ^ n          # p = P(B = j), cdf = P(B <= j - 1)
  for (j = 0; j < n; j++) { if (cdf + p > 0.025) break; cdf += p; k = j + 1; p = p * (n - j) / (j + 1) }
  if (k >= 1) print n, med, v[k], v[n + 1 - k]; else print n, med
}
