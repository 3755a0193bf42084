"""Grid balancing: split pooled customers into K grids of similar consumption AND size.

Customers of one park stay together where the park fits in a grid (a manager then serves a park
on one round). Blocks (whole parks, or pieces of a park too big for one grid) are placed largest
first on the grid they load least; then single customers move from the most to the least loaded
grid while that lowers the worse of the two deviations. Nothing is written until ``apply``.
"""

from __future__ import annotations

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


def balance(members: list[Member], grids: list[uuid.UUID]) -> Proposal:
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

    # 2. refine: move one customer at a time while the worse deviation shrinks
    by_id = {m.customer_id: m for m in members}

    def objective() -> float:
        return max(
            max(abs(load[g][0] - mean_kwh) / mean_kwh, abs(load[g][1] - mean_count) / mean_count)
            for g in grids
        )

    def move(member: Member, source: uuid.UUID, target: uuid.UUID) -> None:
        load[source][0] -= member.kwh
        load[source][1] -= 1
        load[target][0] += member.kwh
        load[target][1] += 1

    for _round in range(400):
        current = objective()
        best: tuple[float, uuid.UUID, uuid.UUID] | None = None
        # moves out of the grid that deviates most, to any other grid; then swaps with it
        extreme = max(
            grids,
            key=lambda g: max(
                abs(load[g][0] - mean_kwh) / mean_kwh, abs(load[g][1] - mean_count) / mean_count
            ),
        )
        for customer_id, grid in assignment.items():
            member = by_id[customer_id]
            for other in grids:
                if other == grid or extreme not in (grid, other):
                    continue
                move(member, grid, other)
                score = objective()
                move(member, other, grid)
                if score < current - 1e-9 and (best is None or score < best[0]):
                    best = (score, customer_id, other)
        if best is None:
            break
        _score, customer_id, target = best
        move(by_id[customer_id], assignment[customer_id], target)
        assignment[customer_id] = target
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
