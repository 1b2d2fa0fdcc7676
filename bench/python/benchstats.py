"""Small statistics shared by the Python side of bench/compare (no third-party packages).

The error reported next to each figure is the half-width of the 99.9% confidence interval of the
mean (Student's t), the same definition JMH uses for its "Error" column, so Java and Python figures
can be compared on the same footing.
"""
import math
import statistics

# Two-sided 99.9% Student t quantiles (0.9995) for 1..30 degrees of freedom; beyond that, ~3.29.
_T9995 = [636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
          4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850,
          3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674, 3.659, 3.646]


def t999(df):
    if df <= 0:
        return float("nan")
    return _T9995[df - 1] if df <= len(_T9995) else 3.291


def summary(samples):
    """Mean, 99.9% CI half-width, stdev, min, max of a list of numbers."""
    n = len(samples)
    mean = statistics.fmean(samples)
    sd = statistics.stdev(samples) if n > 1 else float("nan")
    err = t999(n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
    return {"mean": mean, "error": err, "stdev": sd, "min": min(samples), "max": max(samples), "n": n}
