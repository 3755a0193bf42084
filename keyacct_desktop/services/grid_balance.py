"""Grid balancing: split pooled customers into K grids of similar consumption AND size.

Customers of one park stay together where the park fits in a grid (a manager then serves a park
on one round). Blocks (whole parks, or pieces of a park too big for one grid) are placed largest
first on the grid they load least; then single customers move from the most to the least loaded
grid, or swap places with one of another grid, while that lowers the worst deviation (on equal
gain, a change that keeps a park together wins). Nothing is written until ``apply``.
"""

from __future__ import annotations

import bisect
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid


@dataclass(frozen=True)
class Member:
    customer_id: uuid.UUID
    park_id: uuid.UUID | None
    kwh: float
    current_grid: uuid.UUID | None


@dataclass
class Proposal:
    grids: list[uuid.UUID]
    assignment: dict[uuid.UUID, uuid.UUID]  # customer -> proposed grid
    members: dict[uuid.UUID, Member]

    def totals(self, proposed: bool = True) -> dict[uuid.UUID | None, tuple[float, int]]:
        sums: dict[uuid.UUID | None, list[float]] = defaultdict(lambda: [0.0, 0])
        for customer_id, member in self.members.items():
            grid = self.assignment[customer_id] if proposed else member.current_grid
            sums[grid][0] += member.kwh
            sums[grid][1] += 1
        return {g: (v[0], int(v[1])) for g, v in sums.items()}

    def max_deviation(self, proposed: bool = True) -> tuple[float, float]:
        """Largest deviation from the mean, in %, of (consumption, customer count)."""
        totals = self.totals(proposed)
        k = len(self.grids)
        mean_kwh = sum(m.kwh for m in self.members.values()) / k
        mean_count = len(self.members) / k
        loads = [totals.get(g, (0.0, 0)) for g in self.grids]
        dev_kwh = max(abs(kwh - mean_kwh) for kwh, _ in loads) / mean_kwh * 100 if mean_kwh else 0.0
        dev_count = (
            max(abs(n - mean_count) for _, n in loads) / mean_count * 100 if mean_count else 0.0
        )
        return dev_kwh, dev_count

    def split_parks(self) -> int:
        """Parks whose customers the proposal puts in more than one grid."""
        grids_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for customer_id, member in self.members.items():
            if member.park_id is not None:
                grids_of[member.park_id].add(self.assignment[customer_id])
        return sum(1 for grids in grids_of.values() if len(grids) > 1)


#: Largest deviation from the mean (consumption and count) accepted before parks are split.
DEFAULT_TOLERANCE = 0.05
#: Other grids a grid exchanges customers with in one step (those most unlike it).
PARTNER_GRIDS = 6
#: Changes tried at most (each moves one customer or swaps two): bounds the time on big pools.
MAX_ROUNDS = 3000


def balance(
    members: list[Member], grids: list[uuid.UUID], tolerance: float = DEFAULT_TOLERANCE
) -> Proposal:
    """Assign every member to one of ``grids``; ``tolerance`` is a share (0.05 = 5 %)."""
    if not grids:
        raise UserError("没有网格可分配:请先建立网格", "no grids to assign to: create grids first")
    k = len(grids)
    mean_kwh = max(sum(m.kwh for m in members) / k, 1e-9)
    mean_count = max(len(members) / k, 1e-9)

    # 1. blocks: a park as a whole if it fits in a grid, else pieces of about one grid
    parks: dict[uuid.UUID | None, list[Member]] = defaultdict(list)
    for member in members:
        parks[member.park_id].append(member)
    blocks: list[list[Member]] = []
    for park_id, group in parks.items():
        kwh = sum(m.kwh for m in group)
        if park_id is None:
            blocks += [[m] for m in group]
        elif kwh <= mean_kwh and len(group) <= mean_count:
            blocks.append(group)
        else:
            piece: list[Member] = []
            for member in sorted(group, key=lambda m: -m.kwh):
                piece.append(member)
                if sum(m.kwh for m in piece) >= mean_kwh * 0.5 or len(piece) >= mean_count * 0.5:
                    blocks.append(piece)
                    piece = []
            if piece:
                blocks.append(piece)

    load = {g: [0.0, 0] for g in grids}

    def worst(kwh: float, count: float) -> float:
        return max(kwh / mean_kwh, count / mean_count)

    assignment: dict[uuid.UUID, uuid.UUID] = {}
    blocks.sort(key=lambda b: -(sum(m.kwh for m in b) / mean_kwh + len(b) / mean_count))
    for block in blocks:
        kwh, count = sum(m.kwh for m in block), len(block)
        target = min(grids, key=lambda g: (worst(load[g][0] + kwh, load[g][1] + count), str(g)))
        load[target][0] += kwh
        load[target][1] += count
        for member in block:
            assignment[member.customer_id] = target

    # 2. refine by local search on the sum of squared deviations (consumption and count, as
    # shares of the mean) — smooth, so it does not stall where only the worst grid is looked at.
    # Starting from the worst grid, take the change involving it that lowers that sum most: one
    # customer moved out or in, or a swap with a customer of another grid (a swap keeps both
    # counts). First only changes that put nobody in a grid without a customer of their park;
    # then any change, until the largest deviation is within ``tolerance``.
    by_id = {m.customer_id: m for m in members}
    members_of: dict[uuid.UUID, set[uuid.UUID]] = {g: set() for g in grids}
    in_park: dict[tuple[uuid.UUID, uuid.UUID | None], int] = defaultdict(int)
    for customer_id, grid in assignment.items():
        members_of[grid].add(customer_id)
        in_park[grid, by_id[customer_id].park_id] += 1

    def deviation(kwh: float, count: float) -> float:
        return max(abs(kwh - mean_kwh) / mean_kwh, abs(count - mean_count) / mean_count)

    def cost(kwh: float, count: float) -> float:
        return ((kwh - mean_kwh) / mean_kwh) ** 2 + ((count - mean_count) / mean_count) ** 2

    def splits(customer_id: uuid.UUID, target: uuid.UUID) -> bool:
        """True when the customer would join a grid with no customer of its park."""
        park = by_id[customer_id].park_id
        return park is not None and in_park[target, park] == 0

    def best_change(
        extreme: uuid.UUID, keep_parks: bool
    ) -> tuple[float, uuid.UUID, uuid.UUID, uuid.UUID | None] | None:
        """(gain, customer, target, swap partner or None) of the best change, if any helps."""
        best: tuple[float, uuid.UUID, uuid.UUID, uuid.UUID | None] | None = None
        e_kwh, e_count = load[extreme]
        # the grids most unlike this one have the most to exchange with it
        partners = sorted(
            (g for g in grids if g != extreme),
            key=lambda g: (
                -cost(mean_kwh + e_kwh - load[g][0], mean_count + e_count - load[g][1]),
                str(g),
            ),
        )[:PARTNER_GRIDS]
        for other in partners:
            o_kwh, o_count = load[other]
            before = cost(e_kwh, e_count) + cost(o_kwh, o_count)
            candidates: list[tuple[float, uuid.UUID, uuid.UUID, uuid.UUID | None]] = []
            for customer_id in members_of[extreme]:  # extreme -> other
                kwh = by_id[customer_id].kwh
                after = cost(e_kwh - kwh, e_count - 1) + cost(o_kwh + kwh, o_count + 1)
                candidates.append((before - after, customer_id, other, None))
            for customer_id in members_of[other]:  # other -> extreme
                kwh = by_id[customer_id].kwh
                after = cost(e_kwh + kwh, e_count + 1) + cost(o_kwh - kwh, o_count - 1)
                candidates.append((before - after, customer_id, extreme, None))
            # swaps: the best partner of each customer has about kwh + (o_kwh - e_kwh) / 2
            theirs = sorted((by_id[c].kwh, str(c), c) for c in members_of[other])
            keys = [item[0] for item in theirs]
            for mine in members_of[extreme]:
                mine_kwh = by_id[mine].kwh
                at = bisect.bisect_left(keys, mine_kwh + (o_kwh - e_kwh) / 2)
                for partner_kwh, _key, partner in theirs[max(at - 1, 0) : at + 1]:
                    delta = partner_kwh - mine_kwh
                    after = cost(e_kwh + delta, e_count) + cost(o_kwh - delta, o_count)
                    candidates.append((before - after, mine, other, partner))
            for gain, customer_id, target, partner in candidates:
                if gain <= 1e-12 or (best is not None and gain <= best[0]):
                    continue
                if keep_parks and (
                    splits(customer_id, target)
                    or (partner is not None and splits(partner, assignment[customer_id]))
                ):
                    continue
                best = (gain, customer_id, target, partner)
        return best

    keep_parks = True
    for _round in range(MAX_ROUNDS):
        ranked = sorted(grids, key=lambda g: (-deviation(*load[g]), str(g)))
        if not keep_parks and deviation(*load[ranked[0]]) <= tolerance:
            break
        change = None
        for extreme in ranked[:3]:  # the worst few: a stall at the very worst is rare
            change = best_change(extreme, keep_parks)
            if change is not None:
                break
        if change is None:
            if keep_parks:
                keep_parks = False
                continue
            break
        _gain, customer_id, target, partner = change
        moves = [(customer_id, target)]
        if partner is not None:
            moves.append((partner, assignment[customer_id]))
        for moved, to in moves:
            source, member = assignment[moved], by_id[moved]
            load[source][0] -= member.kwh
            load[source][1] -= 1
            load[to][0] += member.kwh
            load[to][1] += 1
            members_of[source].discard(moved)
            members_of[to].add(moved)
            in_park[source, member.park_id] -= 1
            in_park[to, member.park_id] += 1
            assignment[moved] = to
    return Proposal(grids, assignment, by_id)


class GridBalancer:
    def __init__(self, store: Store) -> None:
        self.store = store

    def propose(self, grid_ids: list[uuid.UUID] | None = None) -> Proposal:
        """A proposal for all pooled, active customers over ``grid_ids`` (default: all grids)."""
        with self.store.read() as session:
            grids = grid_ids or list(session.scalars(select(Grid.id).order_by(Grid.name)))
            rows = session.execute(
                select(Customer.id, Customer.park_id, Customer.annual_kwh, Customer.grid_id).where(
                    Customer.pool_status == "pooled", Customer.status == "active"
                )
            ).all()
        return balance([Member(r[0], r[1], r[2] or 0.0, r[3]) for r in rows], grids)

    def apply(self, proposal: Proposal) -> int:
        """Write the proposed grids (only for customers still pooled); returns how many moved."""
        moved = 0
        with self.store.begin() as session:
            for customer_id, grid_id in proposal.assignment.items():
                customer = session.get(Customer, customer_id)
                if customer is None or customer.pool_status != "pooled":
                    continue
                if customer.grid_id != grid_id:
                    customer.grid_id = grid_id
                    moved += 1
        return moved
