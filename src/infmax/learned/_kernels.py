"""Credit Distribution kernels (Goyal, Bonchi, Lakshmanan, VLDB 2011) over a columnar action log.

Items are the (user, action) pairs of the log in cascade order (``offsets`` / ``users`` /
``times``, as :class:`infmax.graph.cascades.Cascades` stores them). All indices below are
global item indices.

- :func:`count_parents` / :func:`fill_parents`: the potential influencers of each item, i.e. the
  earlier items of the same action (strictly earlier time) whose user has a social arc to the
  item's user (``use_graph``) or, without a graph, every earlier item of the action.
- :func:`credit_scan`: the total credits ``Gamma_{v,u}(a)`` by one pass over each action in time
  order, ``Gamma_{w,u} = sum_{v in N_in(u)} Gamma_{w,v} gamma_{v,u}`` with ``Gamma_{v,v} = 1``,
  contributions below ``lam`` dropped; output CSR by target item, ancestors ascending; stops
  with ``overflow`` when the entry buffer is full (the caller grows it and resumes).
- :func:`user_gain`: the marginal gain of one user under the current credits.
- :func:`absorb_seed`: the update after a seed is chosen (credits to the seed set, removal of
  the seed from the credit graph).
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, nogil=True)
def count_parents(offsets, users, times, rindptr, rindices, n_graph, use_graph, pos, c_lo,
                  c_hi, counts):
    """Count the potential influencers of every item of cascades ``c_lo .. c_hi - 1``.

    ``pos`` (int64, length = number of user ids) must be all -1 on entry (it is on exit).
    """
    for c in range(c_lo, c_hi):
        a, b = offsets[c], offsets[c + 1]
        for j in range(a, b):
            pos[users[j]] = j
        for j in range(a, b):
            cnt = 0
            if use_graph:
                u = users[j]
                if u < n_graph:
                    for e in range(rindptr[u], rindptr[u + 1]):
                        p = pos[rindices[e]]
                        if p >= 0 and times[p] < times[j]:
                            cnt += 1
            else:
                for p in range(a, j):
                    if times[p] < times[j]:
                        cnt += 1
            counts[j] = cnt
        for j in range(a, b):
            pos[users[j]] = -1


@njit(cache=True, nogil=True)
def fill_parents(offsets, users, times, rindptr, rindices, n_graph, use_graph, pos, c_lo, c_hi,
                 par_ptr, par_item):
    """Fill ``par_item[par_ptr[j]:par_ptr[j + 1]]`` (ascending) as :func:`count_parents` counted."""
    for c in range(c_lo, c_hi):
        a, b = offsets[c], offsets[c + 1]
        for j in range(a, b):
            pos[users[j]] = j
        for j in range(a, b):
            t = par_ptr[j]
            if use_graph:
                u = users[j]
                if u < n_graph:
                    for e in range(rindptr[u], rindptr[u + 1]):
                        p = pos[rindices[e]]
                        if p >= 0 and times[p] < times[j]:
                            par_item[t] = p
                            t += 1
                    par_item[par_ptr[j]:t].sort()
            else:
                for p in range(a, j):
                    if times[p] < times[j]:
                        par_item[t] = p
                        t += 1
        for j in range(a, b):
            pos[users[j]] = -1


@njit(cache=True, nogil=True)
def credit_scan(offsets, par_ptr, par_item, gamma, lam, c_lo, c_hi, budget, ent_ptr, ent_anc,
                ent_credit, n_ent, acc, touched_flag, touched):
    """Total credits of cascades ``c_lo ..``; returns ``(next cascade, n_ent, overflow)``.

    ``ent_ptr[j]`` .. ``ent_ptr[j + 1]`` are the entries of target item ``j`` (ancestor item,
    credit). ``acc`` (float64) and ``touched_flag`` (uint8) are indexed by item and must be
    zero on entry (they are on exit); ``touched`` is int64 scratch as long as the largest
    cascade. Stops after the cascade during which ``budget`` parent entries were read, or
    before a cascade whose entries do not fit (``overflow``: the entries of that cascade are
    not kept; resume from it with a larger buffer).
    """
    cap = ent_anc.shape[0]
    work = 0
    c = c_lo
    while c < c_hi:
        a, b = offsets[c], offsets[c + 1]
        start_ent = n_ent
        for j in range(a, b):
            ent_ptr[j] = n_ent
            nt = 0
            for q in range(par_ptr[j], par_ptr[j + 1]):
                p = par_item[q]
                g = gamma[q]
                work += 1
                if g < lam or g <= 0.0:
                    continue
                if touched_flag[p] == 0:
                    touched_flag[p] = 1
                    touched[nt] = p
                    nt += 1
                acc[p] += g
                for e in range(ent_ptr[p], ent_ptr[p + 1]):
                    contrib = ent_credit[e] * g
                    work += 1
                    if contrib < lam:
                        continue
                    w = ent_anc[e]
                    if touched_flag[w] == 0:
                        touched_flag[w] = 1
                        touched[nt] = w
                        nt += 1
                    acc[w] += contrib
            tl = touched[:nt]
            tl.sort()
            overflow = False
            for t in range(nt):
                w = tl[t]
                if not overflow:
                    if n_ent >= cap:
                        overflow = True
                    else:
                        ent_anc[n_ent] = w
                        ent_credit[n_ent] = acc[w]
                        n_ent += 1
                acc[w] = 0.0
                touched_flag[w] = 0
            if overflow:  # scratch is clear again: give the whole cascade back
                return c, start_ent, True
        ent_ptr[b] = n_ent
        c += 1
        if work >= budget:
            break
    return c, n_ent, False


@njit(cache=True, nogil=True)
def user_gain(items, inv_actions, sc, out_ptr, out_ent, ent_credit, ent_tgt, item_inv_actions):
    """Marginal credit gain of a user with items ``items`` (Goyal et al.'s ``computeMG``).

    ``sum_{i in items} (1 - SC[i]) (1 / A_x + sum_{e: anc = i} Gamma_e / A_{tgt_e})``, the
    seed set's credit to ``x`` itself discounting everything ``x`` would add in that action;
    ``inv_actions`` is ``1 / A_x``, ``item_inv_actions[j]`` is ``1 / A`` of item ``j``'s user.
    """
    g = 0.0
    for t in range(items.shape[0]):
        i = items[t]
        free = 1.0 - sc[i]
        if free == 0.0:
            continue
        part = inv_actions
        for q in range(out_ptr[i], out_ptr[i + 1]):
            e = out_ent[q]
            part += ent_credit[e] * item_inv_actions[ent_tgt[e]]
        g += free * part
    return g


@njit(cache=True, nogil=True)
def absorb_seed(items, sc, ent_ptr, ent_anc, ent_credit, out_ptr, out_ent, ent_tgt):
    """Add the user of ``items`` to the seed set (Goyal et al.'s ``update``).

    For each item ``i`` of the seed and each descendant ``u`` with credit ``Gamma_{s,u}``:
    ``SC[u] += Gamma_{s,u} (1 - SC[i])``; for each ancestor ``v`` of ``i``:
    ``Gamma_{v,u} -= Gamma_{v,s} Gamma_{s,u}`` (paths through the seed leave the graph
    ``V - S``; clamped at 0, and skipped when truncation dropped ``Gamma_{v,u}``). Then
    ``SC[i] = 1`` and every credit to or from ``i`` is zeroed.
    """
    for t in range(items.shape[0]):
        i = items[t]
        for q in range(out_ptr[i], out_ptr[i + 1]):
            e_out = out_ent[q]
            cs = ent_credit[e_out]
            if cs == 0.0:
                continue
            u = ent_tgt[e_out]
            lo0, hi0 = ent_ptr[u], ent_ptr[u + 1]
            for e_in in range(ent_ptr[i], ent_ptr[i + 1]):
                cv = ent_credit[e_in]
                if cv == 0.0:
                    continue
                v = ent_anc[e_in]
                lo, hi = lo0, hi0
                while lo < hi:  # binary search of ancestor v among u's entries
                    mid = (lo + hi) // 2
                    if ent_anc[mid] < v:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo < hi0 and ent_anc[lo] == v:
                    x = ent_credit[lo] - cv * cs
                    ent_credit[lo] = x if x > 0.0 else 0.0
            sc[u] += cs * (1.0 - sc[i])
        sc[i] = 1.0
        for e_in in range(ent_ptr[i], ent_ptr[i + 1]):
            ent_credit[e_in] = 0.0
        for q in range(out_ptr[i], out_ptr[i + 1]):
            ent_credit[out_ent[q]] = 0.0
