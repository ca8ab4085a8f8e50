"""Forward diffusion kernels: IC, LT and triggering Monte Carlo, live-edge worlds, reachability.

Conventions (see :mod:`infmax._kernels`): module-level ``@njit(cache=True, nogil=True)``
functions over typed arrays, no validation. Randomness comes from per-block SplitMix64
streams: block ``b`` of simulations runs its simulations one after the other on the stream
``seed_state(block_seeds[b])``, so the result of a block depends only on its seed and the number
of simulations in it, never on the thread that runs it.

Coin order (what the pure-Python twins in the tests reproduce):

* IC (:func:`ic_sim`): BFS from the seeds (in the given order, duplicates ignored); node ``u``
  is popped, its out-arcs are scanned in CSR order and for *every* arc ``(u, v)`` one uniform
  ``x`` is drawn (each active node gets exactly one try per out-arc); the arc fires when
  ``x < p(u, v)`` and activates ``v`` unless it is already active. Drawing the coin before
  looking at ``v`` is ~30 % faster than the other way round (the random access to ``v``'s stamp
  happens only for the few arcs that fire). The comparison is done on integers,
  ``(z >> 11) < ceil(p * 2**53)``, which is exactly ``x < p``.
* LT (:func:`lt_sim`): same scan; the first time a node ``v`` is touched by an active
  in-neighbour one uniform ``x`` is drawn and its threshold is ``1 - x`` (in (0, 1]); the
  weight of every arc from an active node is added and ``v`` activates as soon as the sum
  reaches the threshold.
* triggering (:func:`trig_sim`): same scan; the first time ``v`` is touched, its trigger set is
  drawn (:func:`sample_trigger`: IC nodes one uniform per in-arc in in-CSR order, LT and custom
  nodes one uniform) and marked as live arcs; ``(u, v)`` activates ``v`` when it is live.

The block kernels take the model as one NamedTuple of arrays (:class:`ICArrays`,
:class:`LTArrays`, :class:`TriggeringArrays`, built by
:func:`infmax.diffusion.montecarlo.kernel_args`); numba compiles one specialisation per model
and the per-model code is chosen at compile time from the tuple's type (no model code, no
dummy arrays).

Every simulation records the activation order in ``queue`` and the activation step (BFS level,
seeds at 0) in ``steps``. Scratch arrays use generation stamps, so they are never cleared.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange
from numba.extending import overload

from ._rng import next_double, next_u64, seed_state
from ._twin import serial_twin


class ICArrays(NamedTuple):
    """IC kernel arguments: the out-CSR and ``thr = ceil(p * 2**53)`` (uint64) per arc."""

    indptr: np.ndarray
    indices: np.ndarray
    thr: np.ndarray


class LTArrays(NamedTuple):
    """LT kernel arguments: the out-CSR and the arc weights ``w`` (float64)."""

    indptr: np.ndarray
    indices: np.ndarray
    w: np.ndarray


class TriggeringArrays(NamedTuple):
    """Triggering-model kernel arguments: out-CSR, in-CSR (``rindptr``, ``rev_perm``: in-arc
    ``r`` is out-arc ``rev_perm[r]``) and the model's per-node options (see
    :class:`infmax.diffusion.TriggeringModel`)."""

    indptr: np.ndarray
    indices: np.ndarray
    rindptr: np.ndarray
    rev_perm: np.ndarray
    kind: np.ndarray
    in_probs: np.ndarray
    opt_ptr: np.ndarray
    opt_prob: np.ndarray
    mem_ptr: np.ndarray
    mem: np.ndarray


# ------------------------------------------------------------------------------------------
# single simulations (inline building blocks)
# ------------------------------------------------------------------------------------------
@njit(inline="always", cache=True, nogil=True)
def _push_seeds(seeds, stamp, mark, queue, steps):
    tail = 0
    for i in range(seeds.shape[0]):
        s = seeds[i]
        if stamp[s] != mark:
            stamp[s] = mark
            queue[tail] = s
            steps[tail] = 0
            tail += 1
    return tail


@njit(cache=True, nogil=True)
def ic_sim(indptr, indices, thr, seeds, state, stamp, gen, queue, steps):
    """One IC cascade; returns ``(state, n_active)``; ``queue[:n_active]`` is the order."""
    tail = _push_seeds(seeds, stamp, gen, queue, steps)
    head = 0
    level_end = tail
    level = 0
    while head < tail:
        if head == level_end:
            level += 1
            level_end = tail
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            # coin first: the stamp (a random access) is read only when the arc fires
            state, z = next_u64(state)
            if (z >> np.uint64(11)) < thr[e]:
                v = indices[e]
                if stamp[v] != gen:
                    stamp[v] = gen
                    queue[tail] = v
                    steps[tail] = level + 1
                    tail += 1
    return state, tail


@njit(cache=True, nogil=True)
def lt_sim(indptr, indices, w, seeds, state, stamp, gen, theta, acc, queue, steps):
    """One LT cascade (lazy thresholds). ``stamp[v] == 2 gen``: active; ``2 gen - 1``: touched."""
    act = 2 * gen
    touch = act - 1
    tail = _push_seeds(seeds, stamp, act, queue, steps)
    head = 0
    level_end = tail
    level = 0
    while head < tail:
        if head == level_end:
            level += 1
            level_end = tail
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            sv = stamp[v]
            if sv == act:
                continue
            if sv != touch:
                stamp[v] = touch
                state, x = next_double(state)
                theta[v] = 1.0 - x
                acc[v] = 0.0
            a = acc[v] + w[e]
            acc[v] = a
            if a >= theta[v]:
                stamp[v] = act
                queue[tail] = v
                steps[tail] = level + 1
                tail += 1
    return state, tail


@njit(inline="always", cache=True, nogil=True)
def sample_trigger(v, state, kind, rindptr, in_probs, rev_perm, opt_ptr, opt_prob, mem_ptr,
                   mem, live, mark):
    """Draw the trigger set of ``v``: set ``live[out-position] = mark`` for its arcs."""
    k = kind[v]
    lo = rindptr[v]
    hi = rindptr[v + 1]
    if k == 0:
        for r in range(lo, hi):
            state, x = next_double(state)
            if x < in_probs[r]:
                live[rev_perm[r]] = mark
    elif k == 1:
        if hi > lo:
            state, x = next_double(state)
            a = 0.0
            for r in range(lo, hi):
                a += in_probs[r]
                if x < a:
                    live[rev_perm[r]] = mark
                    break
    else:
        olo = opt_ptr[v]
        ohi = opt_ptr[v + 1]
        if ohi > olo:
            state, x = next_double(state)
            a = 0.0
            for j in range(olo, ohi):
                a += opt_prob[j]
                if x < a:
                    for q in range(mem_ptr[j], mem_ptr[j + 1]):
                        live[rev_perm[mem[q]]] = mark
                    break
    return state


@njit(cache=True, nogil=True)
def trig_sim(indptr, indices, rindptr, rev_perm, kind, in_probs, opt_ptr, opt_prob, mem_ptr,
             mem, seeds, state, stamp, sampled, live, gen, queue, steps):
    """One triggering-model cascade with lazily drawn trigger sets."""
    tail = _push_seeds(seeds, stamp, gen, queue, steps)
    head = 0
    level_end = tail
    level = 0
    while head < tail:
        if head == level_end:
            level += 1
            level_end = tail
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if stamp[v] == gen:
                continue
            if sampled[v] != gen:
                sampled[v] = gen
                state = sample_trigger(v, state, kind, rindptr, in_probs, rev_perm, opt_ptr,
                                       opt_prob, mem_ptr, mem, live, gen)
            if live[e] == gen:
                stamp[v] = gen
                queue[tail] = v
                steps[tail] = level + 1
                tail += 1
    return state, tail


# ------------------------------------------------------------------------------------------
# per-model dispatch (at compile time, on the type of the model's NamedTuple)
# ------------------------------------------------------------------------------------------
def _scratch(model, n, m):
    """Model-specific scratch of one worker: None (IC), (theta, acc) (LT), (sampled, live)."""
    raise NotImplementedError("jit only")


@overload(_scratch, inline="always")
def _scratch_impl(model, n, m):
    cls = getattr(model, "instance_class", None)
    if cls is ICArrays:
        return lambda model, n, m: None
    if cls is LTArrays:
        return lambda model, n, m: (np.empty(n, dtype=np.float64), np.empty(n, dtype=np.float64))
    if cls is TriggeringArrays:
        return lambda model, n, m: (np.zeros(n, dtype=np.int32), np.zeros(m, dtype=np.int32))
    return None


def _simulate(model, seeds, state, stamp, gen, scratch, queue, steps):
    """One cascade of ``model``: ``(state, n_active)``."""
    raise NotImplementedError("jit only")


@overload(_simulate, inline="always")
def _simulate_impl(model, seeds, state, stamp, gen, scratch, queue, steps):
    cls = getattr(model, "instance_class", None)
    if cls is ICArrays:
        def ic(model, seeds, state, stamp, gen, scratch, queue, steps):
            return ic_sim(model.indptr, model.indices, model.thr, seeds, state, stamp, gen,
                          queue, steps)
        return ic
    if cls is LTArrays:
        def lt(model, seeds, state, stamp, gen, scratch, queue, steps):
            return lt_sim(model.indptr, model.indices, model.w, seeds, state, stamp, gen,
                          scratch[0], scratch[1], queue, steps)
        return lt
    if cls is TriggeringArrays:
        def trig(model, seeds, state, stamp, gen, scratch, queue, steps):
            return trig_sim(model.indptr, model.indices, model.rindptr, model.rev_perm,
                            model.kind, model.in_probs, model.opt_ptr, model.opt_prob,
                            model.mem_ptr, model.mem, seeds, state, stamp, scratch[0],
                            scratch[1], gen, queue, steps)
        return trig
    return None


# ------------------------------------------------------------------------------------------
# blocks of simulations
# ------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def run_block(model, seeds, seed, n_sims, stamp, scratch, queue, steps, gen, nw, vals):
    """Run ``n_sims`` simulations of ``model`` (a ``*Arrays`` NamedTuple) on one stream.

    Returns ``(gen, sum, sum_sq)`` of the per-simulation values (active count, or the sum of
    ``nw`` over active nodes when ``nw`` is non-empty); ``vals[i]`` gets simulation ``i``'s
    value when ``vals`` is non-empty.
    """
    state = seed_state(seed)
    s = 0.0
    s2 = 0.0
    use_w = nw.shape[0] > 0
    keep = vals.shape[0] > 0
    for i in range(n_sims):
        gen += 1
        state, tail = _simulate(model, seeds, state, stamp, gen, scratch, queue, steps)
        if use_w:
            x = 0.0
            for j in range(tail):
                x += nw[queue[j]]
        else:
            x = float(tail)
        if keep:
            vals[i] = x
        s += x
        s2 += x * x
    return gen, s, s2


def _forward_blocks(model, seeds, bseeds, block_size, n_total, first_block, n_workers, nw, sums,
                    sumsqs):
    """Blocks ``first_block .. first_block + len(bseeds) - 1`` of an ``n_total``-simulation run.

    Block ``b`` (global index) holds simulations ``[b * block_size, min((b + 1) * block_size,
    n_total))`` and uses ``bseeds[b - first_block]``. Worker ``t`` runs blocks ``t, t +
    n_workers, ...`` with its own scratch; the per-block results land in ``sums`` / ``sumsqs``
    and do not depend on ``n_workers``.
    """
    n = model.indptr.shape[0] - 1
    m = model.indices.shape[0]
    nb = bseeds.shape[0]
    for t in prange(n_workers):
        stamp = np.zeros(n, dtype=np.int32)
        queue = np.empty(n, dtype=np.int32)
        steps = np.empty(n, dtype=np.int32)
        scratch = _scratch(model, n, m)
        vals = np.empty(0, dtype=np.float64)
        gen = 0
        for b in range(t, nb, n_workers):
            gb = first_block + b
            ns = min(block_size, n_total - gb * block_size)
            gen, s, s2 = run_block(model, seeds, bseeds[b], ns, stamp, scratch, queue, steps,
                                   gen, nw, vals)
            sums[b] = s
            sumsqs[b] = s2
    return sums, sumsqs


forward_blocks = njit(parallel=True, cache=True, nogil=True)(_forward_blocks)
#: the same kernel without threads (``prange`` is ``range``): for small jobs, where waking
#: worker threads costs more than the work; results are identical by construction.
forward_blocks_serial = serial_twin(forward_blocks, "forward_blocks_serial")


@njit(cache=True, nogil=True)
def block_values(model, seeds, seed, n_sims, nw):
    """Per-simulation values of one block (what :func:`forward_blocks` sums); for tests."""
    n = model.indptr.shape[0] - 1
    m = model.indices.shape[0]
    stamp = np.zeros(n, dtype=np.int32)
    queue = np.empty(n, dtype=np.int32)
    steps = np.empty(n, dtype=np.int32)
    vals = np.empty(n_sims, dtype=np.float64)
    run_block(model, seeds, seed, n_sims, stamp, _scratch(model, n, m), queue, steps, 0, nw,
              vals)
    return vals


@njit(cache=True, nogil=True)
def single_cascade(model, seeds, seed):
    """One cascade on the stream of ``seed``: ``(activation order, activation steps)``."""
    n = model.indptr.shape[0] - 1
    m = model.indices.shape[0]
    stamp = np.zeros(n, dtype=np.int32)
    queue = np.empty(n, dtype=np.int32)
    steps = np.empty(n, dtype=np.int32)
    state = seed_state(seed)
    state, tail = _simulate(model, seeds, state, stamp, 1, _scratch(model, n, m), queue, steps)
    return queue[:tail].copy(), steps[:tail].copy()


# ------------------------------------------------------------------------------------------
# live-edge worlds
# ------------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def sample_live(kind, rindptr, in_probs, rev_perm, opt_ptr, opt_prob, mem_ptr, mem, m, seed):
    """Live mask (out-CSR order) of one world: trigger sets of nodes 0..n-1 drawn in order."""
    n = rindptr.shape[0] - 1
    live = np.zeros(m, dtype=np.int32)
    state = seed_state(seed)
    for v in range(n):
        state = sample_trigger(v, state, kind, rindptr, in_probs, rev_perm, opt_ptr, opt_prob,
                               mem_ptr, mem, live, 1)
    return live == 1


@njit(cache=True, nogil=True)
def reach_live(indptr, indices, live, seeds, removed):
    """Nodes reachable from ``seeds`` through live arcs, skipping ``removed`` (BFS order).

    ``removed`` is a bool mask of length n or empty; removed nodes (seeds included) are
    neither entered nor traversed.
    """
    n = indptr.shape[0] - 1
    seen = np.zeros(n, dtype=np.bool_)
    has_rm = removed.shape[0] > 0
    if has_rm:
        for v in range(n):
            if removed[v]:
                seen[v] = True
    queue = np.empty(n, dtype=np.int32)
    tail = 0
    for i in range(seeds.shape[0]):
        s = seeds[i]
        if not seen[s]:
            seen[s] = True
            queue[tail] = s
            tail += 1
    head = 0
    while head < tail:
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            if live[e]:
                v = indices[e]
                if not seen[v]:
                    seen[v] = True
                    queue[tail] = v
                    tail += 1
    return queue[:tail].copy()


@njit(cache=True, nogil=True)
def enumerate_worlds(n, indptr, indices, seeds, node_opt_ptr, opt_prob, opt_mem_ptr, opt_mem,
                     nw, start, count, total):
    """Exact expected (weighted) spread, resumable: add worlds ``start .. start + count - 1``.

    Node ``v``'s options are ``node_opt_ptr[v]:node_opt_ptr[v+1]`` (each with probability and
    a list of live out-CSR positions). Worlds are numbered as an odometer over the nodes (node
    0's option is the fastest digit). Returns ``total`` plus ``P(world) * value(reach)`` of each
    world, added in world order, so splitting the range into calls never changes the result.
    """
    m = indices.shape[0]
    live = np.zeros(m, dtype=np.bool_)
    digit = np.zeros(n, dtype=np.int64)
    seen = np.zeros(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    use_w = nw.shape[0] > 0
    w = start
    for v in range(n):
        r = node_opt_ptr[v + 1] - node_opt_ptr[v]
        digit[v] = w % r
        w //= r
        j = node_opt_ptr[v] + digit[v]
        for q in range(opt_mem_ptr[j], opt_mem_ptr[j + 1]):
            live[opt_mem[q]] = True
    stamp = 0
    for _ in range(count):
        pr = 1.0
        for v in range(n):
            pr *= opt_prob[node_opt_ptr[v] + digit[v]]
        if pr > 0.0:
            stamp += 1
            tail = 0
            for i in range(seeds.shape[0]):
                s = seeds[i]
                if seen[s] != stamp:
                    seen[s] = stamp
                    queue[tail] = s
                    tail += 1
            head = 0
            while head < tail:
                u = queue[head]
                head += 1
                for e in range(indptr[u], indptr[u + 1]):
                    if live[e]:
                        x = indices[e]
                        if seen[x] != stamp:
                            seen[x] = stamp
                            queue[tail] = x
                            tail += 1
            if use_w:
                val = 0.0
                for i in range(tail):
                    val += nw[queue[i]]
            else:
                val = float(tail)
            total += pr * val
        # advance the odometer
        v = 0
        while v < n:
            j = node_opt_ptr[v] + digit[v]
            for q in range(opt_mem_ptr[j], opt_mem_ptr[j + 1]):
                live[opt_mem[q]] = False
            if node_opt_ptr[v] + digit[v] + 1 < node_opt_ptr[v + 1]:
                digit[v] += 1
                j += 1
                for q in range(opt_mem_ptr[j], opt_mem_ptr[j + 1]):
                    live[opt_mem[q]] = True
                break
            digit[v] = 0
            j = node_opt_ptr[v]
            for q in range(opt_mem_ptr[j], opt_mem_ptr[j + 1]):
                live[opt_mem[q]] = True
            v += 1
        if v == n:
            break
    return total
