"""Deterministic, vectorised generator of shop data in the project's input format.

The same seed and sizes always give byte-identical files. The story the data tells:

* customers sign up over the period through one of a few acquisition channels;
* most customers buy rarely and a few buy often (purchase rates drawn from a gamma
  distribution), and every customer eventually drops out (exponential lifetimes);
* a latent satisfaction drives both behaviour and surveys: satisfied customers stay longer
  and answer NPS/CSAT high and CES low, so detractors lapse more than promoters;
* a few orders are cancelled or returned, a few customers buy as guests (no customer row),
  and a few text values carry stray case and spaces, as real exports do;
* paid channels have a monthly marketing spend that follows the signups they bring;
* with ``--shape skewed``, the data shape that costs a customer-grain pipeline most: a few
  customers (1 in 1,000) buy a hundred times as often as their rate says, and regulars (2 in
  100) sign up at the start, never drop out and buy about twice a month, so they span every
  month of the period (an orders target still holds: the other rates make up for them);
* with ``--bad-rows K`` (CSV only), K copies of each kind of bad row the project screens
  out: duplicated and conflicting ids, empty ids, unparseable dates, negative and
  non-numeric amounts, unknown statuses and survey types, off-scale scores.

Usage: ``python -m customer_value.generate --customers 3000 --out DIR [--format parquet]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pa_parquet

CHANNELS = np.array(["organic", "paid_search", "social", "email", "referral"])
CHANNEL_SHARES = np.array([0.35, 0.25, 0.2, 0.1, 0.1])
# Marketing cost per acquired customer, by channel (organic has no spend).
CHANNEL_COST = np.array([0.0, 45.0, 30.0, 12.0, 20.0])
STATUSES = np.array(["completed", "cancelled", "returned"])
COUNTRIES = np.array(["DE", "FR", "GB", "NL", "US"])
COUNTRY_SHARES = np.array([0.3, 0.2, 0.2, 0.1, 0.2])
SHAPES = ("typical", "skewed")
# The skewed shape: heavy buyers (their purchase rate multiplied) and regulars.
HEAVY_BUYER_SHARE, HEAVY_BUYER_FACTOR = 0.001, 100.0
REGULAR_SHARE, REGULAR_RATE = 0.02, 24.0  # orders per year
SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Settings:
    """Sizes and knobs of one generated data set."""

    customers: int = 3000
    mean_orders_per_year: float = 2.0
    start: dt.date = dt.date(2023, 1, 1)
    end: dt.date = dt.date(2026, 1, 1)
    seed: int = 42
    guest_share: float = 0.01
    messy_text_share: float = 0.02
    bad_rows: int = 0
    orders: int | None = None  # target order count: scales the purchase rates to hit it
    responses: int | None = None  # target survey response count: scales the survey shares
    shape: str = "typical"  # or "skewed": heavy buyers and customers spanning every month


def _epoch_seconds(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _ids(prefix: str, count: int) -> pa.Array:
    """PREFIX and the numbers 1 to COUNT, zero-padded to one width (built in Arrow: at 100 M
    orders NumPy's fixed-width strings would take 4 bytes a character)."""
    width = max(6, len(str(count)))
    # large_string while casting: Arrow sizes the cast for 20 digits a number (over 2 GB at 100 M).
    digits = pa.array(np.arange(1, count + 1)).cast(pa.large_string())
    numbers = pc.utf8_lpad(digits, width=width, padding="0").cast(pa.string())
    return pc.binary_join_element_wise(prefix, numbers, "")


def _money(values: np.ndarray) -> pa.Array:
    """Exact decimal(18, 2) amounts from floats, built from integer cents (no float rounding)."""
    cents = np.round(values * 100).astype(np.int64)
    words = np.column_stack([cents, cents >> 63])  # 128-bit little-endian two's complement
    return pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [None, pa.py_buffer(words.tobytes())])


def _timestamps(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds.astype("datetime64[s]"), type=pa.timestamp("s"))


def _messy(rng: np.random.Generator, categories: np.ndarray, codes: np.ndarray, share: float) -> pa.Array:
    """The CATEGORIES the CODES index, a few of them upper-cased and padded with spaces, as
    hand-edited exports do."""
    messy = rng.random(codes.size) < share
    spellings = [*categories, *(f" {category.upper()} " for category in categories)]
    return pa.array(spellings, type=pa.string()).take(pa.array(codes + categories.size * messy))


def generate(settings: Settings) -> dict[str, pa.Table]:
    """Return the four input tables, keyed by input name."""
    rng = np.random.default_rng(settings.seed)
    start_s, end_s = _epoch_seconds(settings.start), _epoch_seconds(settings.end)
    span_s = end_s - start_s
    n = settings.customers

    # Customers: signups grow over the period (more late than early).
    signed_up_s = start_s + (rng.random(n) ** 0.8 * span_s).astype(np.int64)
    channel_idx = rng.choice(CHANNELS.size, size=n, p=CHANNEL_SHARES)
    country = rng.choice(COUNTRIES, size=n, p=COUNTRY_SHARES)
    satisfaction = rng.standard_normal(n)
    is_buyer = rng.random(n) < 0.8
    rate = rng.gamma(0.8, settings.mean_orders_per_year / 0.8, size=n)  # orders per year
    lifetime_years = rng.exponential(1.5 * np.exp(0.9 * satisfaction))
    regular = np.zeros(n, dtype=bool)
    if settings.shape == "skewed":
        rate *= np.where(rng.random(n) < HEAVY_BUYER_SHARE, HEAVY_BUYER_FACTOR, 1.0)
        # Regulars: signed up at the start, never drop out, buy about twice a month.
        regular = rng.random(n) < REGULAR_SHARE
        signed_up_s = np.where(regular, start_s, signed_up_s)
        lifetime_years = np.where(regular, np.inf, lifetime_years)
        is_buyer |= regular
    elif settings.shape != "typical":
        raise ValueError(f"unknown shape {settings.shape!r}: typical or skewed")
    first_s = signed_up_s + (rng.exponential(10.0, size=n) * SECONDS_PER_DAY).astype(np.int64)
    is_buyer &= first_s < end_s
    active_end_s = np.minimum(first_s + (lifetime_years * DAYS_PER_YEAR * SECONDS_PER_DAY), end_s - 1)
    active_years = np.maximum(active_end_s - first_s, 0) / (DAYS_PER_YEAR * SECONDS_PER_DAY)
    if settings.orders is not None:  # scale the rates so that the expected order count is the target
        fixed = float(np.sum(np.where(is_buyer & regular, REGULAR_RATE * active_years, 0.0)))
        expected_repeats = float(np.sum(np.where(is_buyer & ~regular, rate * active_years, 0.0)))
        rate *= max(settings.orders - int(is_buyer.sum()) - fixed, 0) / max(expected_repeats, 1e-9)
    rate = np.where(regular, REGULAR_RATE, rate)
    repeat = np.where(is_buyer, rng.poisson(rate * active_years), 0)

    # Orders: each buyer's first order, then repeats spread uniformly over the active period.
    orders_per_customer = is_buyer.astype(np.int64) + repeat
    owner = np.repeat(np.arange(n), orders_per_customer)
    is_first = np.zeros(owner.size, dtype=bool)
    is_first[np.cumsum(orders_per_customer)[is_buyer] - orders_per_customer[is_buyer]] = True
    span_owner = (active_end_s - first_s)[owner]
    offset = np.where(is_first, 0, (rng.random(owner.size) * span_owner).astype(np.int64))
    ordered_s = first_s[owner] + offset
    basket = rng.lognormal(np.log(60.0), 0.5, size=n)
    amount = basket[owner] * rng.lognormal(0.0, 0.3, size=owner.size)
    status = rng.choice(STATUSES.size, size=owner.size, p=[0.91, 0.05, 0.04])  # codes of STATUSES
    order_sort = np.lexsort((owner, ordered_s))
    owner, ordered_s, amount, status = (
        owner[order_sort],
        ordered_s[order_sort],
        amount[order_sort],
        status[order_sort],
    )
    customer_ids = _ids("C", n)
    orders = pa.table(
        {
            "order_id": _ids("O", owner.size),
            "customer_id": customer_ids.take(pa.array(owner)),
            "ordered_at": _timestamps(ordered_s),
            "amount": _money(amount),
            "status": _messy(rng, STATUSES, status, settings.messy_text_share),
        }
    )

    # Guests: a few buyers have no customer row; their orders still count (channel unknown).
    is_guest = is_buyer & (rng.random(n) < settings.guest_share)
    listed = ~is_guest
    customers = pa.table(
        {
            "customer_id": customer_ids.filter(pa.array(listed)),
            "signed_up_at": _timestamps(signed_up_s[listed]),
            "acquisition_channel": _messy(rng, CHANNELS, channel_idx[listed], settings.messy_text_share),
            "country": pa.array(country[listed]),
        }
    )

    tables = {
        "orders": orders,
        "customers": customers,
        "survey_responses": _surveys(rng, settings, satisfaction, owner, ordered_s, status, customer_ids),
        "marketing_spend": _spend(rng, settings, signed_up_s, channel_idx),
    }
    return _bad_rows(rng, tables, settings.bad_rows) if settings.bad_rows else tables


def _surveys(
    rng: np.random.Generator,
    settings: Settings,
    satisfaction: np.ndarray,
    owner: np.ndarray,
    ordered_s: np.ndarray,
    status: np.ndarray,
    customer_ids: pa.Array,
) -> pa.Table:
    """NPS, CSAT and CES responses a few days after completed orders, scored from satisfaction."""
    end_s = _epoch_seconds(settings.end)
    completed = status == 0  # the code of "completed" in STATUSES
    shares = {"nps": 0.2, "csat": 0.15, "ces": 0.1}
    scale = 1.0
    if settings.responses is not None:  # scale the shares so that the expected count is the target
        scale = settings.responses / max(sum(shares.values()) * float(completed.sum()), 1.0)
    kinds = []
    for code, (survey_type, share) in enumerate(shares.items()):
        asked = completed & (rng.random(owner.size) < share * scale)
        who = owner[asked]
        mood = satisfaction[who] + rng.normal(0.0, 0.7, size=who.size)
        if survey_type == "nps":
            score = np.clip(np.round(8.0 + 1.8 * mood), 0, 10)
        elif survey_type == "csat":
            score = np.clip(np.round(4.0 + 0.8 * mood), 1, 5)
        else:
            score = np.clip(np.round(2.3 - 0.8 * mood), 1, 5)
        delay = (rng.exponential(3.0, size=who.size) * SECONDS_PER_DAY).astype(np.int64)
        kinds.append((np.full(who.size, code, dtype=np.int8), who, ordered_s[asked] + delay, score))
    survey_type = np.concatenate([k[0] for k in kinds])
    who = np.concatenate([k[1] for k in kinds])
    responded_s = np.concatenate([k[2] for k in kinds])
    score = np.concatenate([k[3] for k in kinds]).astype(np.int64)
    keep = responded_s < end_s
    survey_type, who, responded_s, score = survey_type[keep], who[keep], responded_s[keep], score[keep]
    sort = np.lexsort((who, responded_s))
    survey_type, who, responded_s, score = survey_type[sort], who[sort], responded_s[sort], score[sort]
    anonymous = pa.array(rng.random(who.size) < 0.05)
    return pa.table(
        {
            "response_id": _ids("R", who.size),
            "customer_id": pc.if_else(anonymous, pa.scalar(None, pa.string()), customer_ids.take(pa.array(who))),
            "survey_type": pa.array(list(shares), type=pa.string()).take(pa.array(survey_type)),
            "score": pa.array(score, type=pa.int64()),
            "responded_at": _timestamps(responded_s),
        }
    )


def _spend(rng: np.random.Generator, settings: Settings, signed_up_s: np.ndarray, channel_idx: np.ndarray) -> pa.Table:
    """One spend row per paid channel and month: the signups it brought times its cost, +-20 %."""
    months = np.arange(np.datetime64(settings.start, "M"), np.datetime64(settings.end, "M"), dtype="datetime64[M]")
    signup_month = signed_up_s.astype("datetime64[s]").astype("datetime64[M]")
    month_idx = (signup_month - months[0]).astype(np.int64)
    signups = np.zeros((months.size, CHANNELS.size))
    np.add.at(signups, (month_idx, channel_idx), 1)
    paid = CHANNEL_COST > 0
    cost = signups[:, paid] * CHANNEL_COST[paid] * rng.uniform(0.8, 1.2, size=(months.size, paid.sum()))
    return pa.table(
        {
            "spent_on": pa.array(np.repeat(months.astype("datetime64[D]"), paid.sum()), type=pa.date32()),
            "channel": pa.array(np.tile(CHANNELS[paid], months.size)),
            "amount": _money(cost.ravel()),
        }
    )


def _as_text(table: pa.Table) -> pa.Table:
    return pa.table({name: table[name].cast(pa.string()) for name in table.column_names})


def _bad_rows(rng: np.random.Generator, tables: dict[str, pa.Table], copies: int) -> dict[str, pa.Table]:
    """Append COPIES of each kind of bad row to text versions of the tables."""
    out = {name: _as_text(table) for name, table in tables.items()}

    def pick(name: str) -> dict[str, str | None]:
        table = out[name]
        index = int(rng.integers(table.num_rows))
        return {column: table[column][index].as_py() for column in table.column_names}

    def mutate(name: str, changes: list[dict[str, str | None]]) -> None:
        rows = []
        for change in changes:
            base = pick(name)
            rows.append(base | {key: (value if value != "<same>" else base[key]) for key, value in change.items()})
        extra = pa.table(
            {column: pa.array([row[column] for row in rows], pa.string()) for column in out[name].column_names}
        )
        out[name] = pa.concat_tables([out[name], extra])

    for _ in range(copies):
        mutate(
            "orders",
            [
                {},  # an identical copy of an existing order
                {"amount": "999.99"},  # a conflicting copy: same order_id, another amount
                {"order_id": "X-EMPTY-CUSTOMER", "customer_id": ""},
                {"order_id": "X-BAD-DATE", "ordered_at": "31/02/2024"},
                {"order_id": "X-NEGATIVE", "amount": "-15.00"},
                {"order_id": "X-NOT-A-NUMBER", "amount": "twelve"},
                {"order_id": "X-STATUS", "status": "shipped"},
            ],
        )
        mutate("customers", [{}, {"acquisition_channel": "tiktok"}])
        mutate(
            "survey_responses",
            [
                {},
                {"response_id": "X-SCORE", "survey_type": "nps", "score": "11"},
                {"response_id": "X-TYPE", "survey_type": "star_rating"},
            ],
        )
        mutate("marketing_spend", [{"amount": "-100.00"}])
    for name, table in out.items():  # suffix the invented ids so that each copy is unique
        ids = table.column_names[0]
        values = table[ids].to_pylist()
        seen: dict[str, int] = {}
        for index, value in enumerate(values):
            if value is not None and value.startswith("X-"):
                seen[value] = seen.get(value, 0) + 1
                values[index] = f"{value}-{seen[value]}"
        out[name] = table.set_column(0, ids, pa.array(values, pa.string()))
    return out


def write(tables: dict[str, pa.Table], out: Path, file_format: str) -> list[Path]:
    """Write each table as OUT/<name>.<csv|parquet>; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.{file_format}"
        if file_format == "csv":
            pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="needed"))
        else:
            pa_parquet.write_table(table, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=Settings.customers)
    parser.add_argument("--mean-orders-per-year", type=float, default=Settings.mean_orders_per_year)
    parser.add_argument("--orders", type=int, help="target order count (scales the purchase rates)")
    parser.add_argument("--responses", type=int, help="target survey response count (scales the survey shares)")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=Settings.start)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=Settings.end, help="exclusive")
    parser.add_argument("--seed", type=int, default=Settings.seed)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--bad-rows", type=int, default=0, help="copies of each kind of bad row (CSV only)")
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default=Settings.shape,
        help="skewed: heavy buyers, long-lived customers",
    )
    args = parser.parse_args(argv)
    settings = Settings(
        customers=args.customers,
        mean_orders_per_year=args.mean_orders_per_year,
        start=args.start,
        end=args.end,
        seed=args.seed,
        bad_rows=args.bad_rows,
        orders=args.orders,
        responses=args.responses,
        shape=args.shape,
    )
    if args.bad_rows and args.format != "csv":
        parser.error("--bad-rows needs --format csv (bad values do not fit typed Parquet columns)")
    tables = generate(settings)
    for path in write(tables, args.out, args.format):
        print(f"wrote {path}")
    print(", ".join(f"{name}: {table.num_rows} rows" for name, table in tables.items()))


if __name__ == "__main__":
    main()
