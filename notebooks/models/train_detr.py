"""Train, evaluate and export the small DETR panoptic model (detr_panoptic.py) on segspark synth frames.

    cd notebooks/models
    python3 train_detr.py --data /work/data/train --val /work/data/val --steps 5000 \
        --crop 128 256 --crop-steps 4600 --eval-every 500 --out /tmp/detr-b3 --no-export
    python3 train_detr.py --data /work/data/train /work/data/train2 --val /work/data/val \
        --resume --steps 7600 --out /tmp/detr-b3 --threshold auto
    (the bundled model: 5000 steps, then whole frames of 1200 frames to step 7600; see make_models.sh.
    --resume continues from <out>/ckpt.pt; --steps equal to the checkpoint's step re-exports)

--out holds checkpoints (ckpt.pt every --ckpt-every steps, best.pt = best 40-frame val mIoU) and log.txt.
After training the script sweeps the post-processing threshold on --val, evaluates at --threshold, exports
TorchScript + spec YAML (threshold written as `detr: {threshold: T}`) to --model (default
conf/models/detr-panoptic-synth.pt of this checkout) and writes the reference predictions of the --ref frames
(run through the reloaded TorchScript file, batch 1) to udfs/src/test/resources/models/reference/<name>/.

Targets: one segment per stuff class present (train ids 0..10, merged over the image) and one per thing
instance (instanceIds = label_id*1000+k, label ids mapped with synth_data.LABEL_TO_TRAIN); train id 255 pixels
are ignored by the mask losses.

Training for a short CPU budget (inference and the post-processing are plain DETR; only the training
assignment and losses differ, see assign / compute_loss):
  * stuff queries: query c (0..10) is always assigned to stuff class c (its merged segment, or no-object);
  * thing queries are dedicated to one thing class each (THING_SLOTS) and Hungarian-matched within their
    class (DETR cost + a fixed anchor prior), so they never have to learn *which* class to predict;
  * losses: class CE (no-object weight 0.1) on every decoder layer, box L1 + GIoU, mask BCE + dice on the
    matched queries at full resolution, a per-pixel CE over all queries' mask logits (the post-processing's
    arg-max), attention localisation, dense semantic CE on the encoder memory and stride-4 features;
  * 128x256 crops on the stride-32 grid with positions offset to the frame's token indices, then whole
    frames for the last steps; AdamW 1e-3, 50 warmup steps, cosine decay, gradient clipping.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detr_panoptic as dp  # noqa: E402
import synth_data as sd  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NAME = "detr-panoptic-synth"
DEFAULT_MODEL = os.path.join(REPO, "conf", "models", NAME + ".pt")
DEFAULT_REF_OUT = os.path.join(REPO, "udfs", "src", "test", "resources", "models", "reference", NAME)
THRESHOLD = 0.85
EOS_COEF = 0.1
W = dict(ce=2.0, l1=5.0, giou=2.0, bce=5.0, dice=5.0, qce=2.0, sem=1.0, pix=1.0, loc=0.5, att=0.5,
         anchor=10.0)  # loss and matching-cost weights


# ------------------------------------------------------------------------------------------- targets
def build_targets(train_ids, instance_ids):
    """-> seg maps uint8 [N,H,W] (segment index, 255 = ignored), per-image class arrays, per-image boxes
    (cx,cy,w,h normalised, float32 [n,4])."""
    n_img, H, Wd = train_ids.shape
    segs = np.full(train_ids.shape, 255, np.uint8)
    classes, boxes = [], []
    for i in range(n_img):
        tr, ins = train_ids[i], instance_ids[i]
        cls = []
        k = 0
        for c in range(11):
            m = tr == c
            if m.any():
                segs[i][m] = k
                cls.append(c)
                k += 1
        for v in np.unique(ins):
            if v < 1000 or (v // 1000) not in sd.LABEL_TO_TRAIN:
                continue
            c = sd.LABEL_TO_TRAIN[v // 1000]
            m = (ins == v) & (tr == c)
            if m.any():
                segs[i][m] = k
                cls.append(c)
                k += 1
        bx = []
        for s in range(k):
            ys, xs = np.nonzero(segs[i] == s)
            x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
            bx.append([(x0 + x1) / 2 / Wd, (y0 + y1) / 2 / H, (x1 - x0) / Wd, (y1 - y0) / H])
        classes.append(np.array(cls, np.int64))
        boxes.append(np.array(bx, np.float32).reshape(-1, 4))
    return segs, classes, boxes


# ------------------------------------------------------------------------------------------- matching
def linear_assignment(cost):
    """Minimum-cost assignment (Hungarian method with potentials) for a rectangular cost matrix.
    Returns (rows, cols) like scipy.optimize.linear_sum_assignment."""
    cost = np.asarray(cost, dtype=np.float64)
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T
    n, m = cost.shape
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, np.int64)  # p[j]: row (1-based) assigned to column j
    way = np.zeros(m + 1, np.int64)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            free = ~used[1:]
            cur = cost[i0 - 1] - u[i0] - v[1:]
            better = free & (cur < minv[1:])
            minv[1:][better] = cur[better]
            way[1:][better] = j0
            cand = np.where(free, minv[1:], np.inf)
            j1 = int(np.argmin(cand)) + 1
            delta = cand[j1 - 1]
            u[p[used]] += delta
            v[used] -= delta
            minv[~used] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    cols = np.nonzero(p[1:])[0]
    rows = p[1:][cols] - 1
    order = np.argsort(rows)
    rows, cols = rows[order], cols[order]
    if transposed:
        rows, cols = cols, rows
        order = np.argsort(rows)
        rows, cols = rows[order], cols[order]
    return rows.astype(np.int64), cols.astype(np.int64)


try:  # identical optimum; scipy is faster when present
    from scipy.optimize import linear_sum_assignment as _lsa
except ImportError:  # pragma: no cover
    _lsa = linear_assignment


def box_xyxy(b):
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)


def generalized_iou(a, b):
    """Pairwise GIoU of xyxy boxes a [N,4], b [M,4] -> [N,M]."""
    area_a = (a[:, 2] - a[:, 0]).clamp(min=0) * (a[:, 3] - a[:, 1]).clamp(min=0)
    area_b = (b[:, 2] - b[:, 0]).clamp(min=0) * (b[:, 3] - b[:, 1]).clamp(min=0)
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = area_a[:, None] + area_b[None] - inter
    iou = inter / union.clamp(min=1e-7)
    lt2 = torch.min(a[:, None, :2], b[None, :, :2])
    rb2 = torch.max(a[:, None, 2:], b[None, :, 2:])
    hull = (rb2 - lt2).clamp(min=0).prod(-1)
    return iou - (hull - union) / hull.clamp(min=1e-7)


@torch.no_grad()
def match(logits, boxes, masks4, tgt, prior=None):
    """One image: logits [Q,20], boxes [Q,4], masks4 [Q,h,w] or None; tgt dict; prior: extra cost [Q,n] or
    None -> (query idx, target idx)."""
    n = len(tgt["classes"])
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    prob = logits.softmax(-1)
    c = -W["ce"] * prob[:, tgt["classes"]]
    c = c + W["l1"] * torch.cdist(boxes, tgt["boxes"], p=1)
    c = c - W["giou"] * generalized_iou(box_xyxy(boxes), box_xyxy(tgt["boxes"]))
    if masks4 is not None:
        x = masks4.flatten(1)  # [Q,P]
        y = tgt["soft4"].flatten(1)  # [n,P]
        w = tgt["valid4"].flatten()  # [P]
        wy = y * w
        wsum = w.sum().clamp(min=1)
        bce = (F.softplus(x) @ w)[:, None] - x @ wy.T
        c = c + W["bce"] * bce / wsum
        s = x.sigmoid() * w
        dice = 1 - (2 * s @ y.T + 1) / (s.sum(1)[:, None] + wy.sum(1)[None] + 1)
        c = c + W["dice"] * dice
    if prior is not None:
        c = c + prior
    return _lsa(c.numpy())


N_STUFF = len(dp.STUFF_TRAIN_IDS)  # queries 0..10 are the stuff queries: query c <-> stuff class c


def make_batch_targets(segs, classes, idx, flips, crops, full=(256, 512)):
    """Per image (flipped / cropped as the input): segment map, classes, boxes (from the visible masks),
    one-hot masks, valid mask, 1/4-resolution soft masks for the matching cost, train-id map for the dense
    auxiliary losses, class composition of every 32x32 token and the tokens each segment touches."""
    out = []
    for i, f, (y0, x0, h, w) in zip(idx, flips, crops):
        seg = segs[i][:, ::-1] if f else segs[i]  # flip the whole frame, then crop
        seg = torch.from_numpy(seg[y0:y0 + h, x0:x0 + w].astype(np.int64))
        present = torch.unique(seg)
        present = present[present != 255]
        remap = torch.full((256,), 255, dtype=torch.long)
        remap[present] = torch.arange(len(present))
        seg = remap[seg]
        cls = torch.from_numpy(classes[i])[present]
        n = len(present)
        valid = (seg != 255).float()
        onehot = (seg[None] == torch.arange(n)[:, None, None]).float()
        rows = onehot.amax(2)  # [n,h]
        cols = onehot.amax(1)  # [n,w]
        ar_h = torch.arange(h, dtype=torch.float32)
        ar_w = torch.arange(w, dtype=torch.float32)
        by0 = torch.where(rows > 0, ar_h, torch.full_like(ar_h, 1e9)).amin(1)
        by1 = torch.where(rows > 0, ar_h, torch.full_like(ar_h, -1)).amax(1) + 1
        bx0 = torch.where(cols > 0, ar_w, torch.full_like(ar_w, 1e9)).amin(1)
        bx1 = torch.where(cols > 0, ar_w, torch.full_like(ar_w, -1)).amax(1) + 1
        bx = torch.stack([(bx0 + bx1) / 2 / w, (by0 + by1) / 2 / h, (bx1 - bx0) / w, (by1 - by0) / h], 1)
        valid4 = F.avg_pool2d(valid[None, None], 4)[0, 0]
        soft4 = F.avg_pool2d(onehot[None], 4)[0] / valid4.clamp(min=1e-6)
        cls1h = torch.zeros(dp.NUM_CLASSES, n)
        cls1h[cls, torch.arange(n)] = 1
        frac32 = F.avg_pool2d(onehot[None], 32)[0]
        comp32 = torch.einsum("cn,nhw->chw", cls1h, frac32)
        lut = torch.cat([cls, torch.full((256 - n,), 255, dtype=torch.long)])
        tid = lut[seg.clamp(max=255)]
        tid[seg == 255] = 255
        centers = torch.stack([(x0 + bx[:, 0] * w) / full[1], (y0 + bx[:, 1] * h) / full[0]], 1)
        out.append(dict(classes=cls, boxes=bx, centers=centers, seg=seg, onehot=onehot, valid=valid, soft4=soft4,
                        valid4=valid4, comp32=comp32, tid=tid, inside32=(frac32 > 0).float().flatten(1)))
    return out


def attention_inside(weights, inside):
    """-log of the attention mass (averaged over heads) that falls on the tokens a segment touches.
    weights [k,heads,hw], inside [k,hw] -> summed over the k matched queries."""
    mass = (weights.mean(1) * inside).sum(1)
    return -torch.log(mass + 1e-4).sum()


# thing queries are dedicated to one thing class each ("thing slots"): (train id, number of queries). The
# numbers cover what one synth frame holds (train: at most 4/3/7/3/2/2/2/3 instances); rarer surplus
# instances are merged into the nearest slot of their class (see assign).
THING_SLOTS = ((11, 3), (12, 2), (13, 4), (14, 2), (15, 2), (16, 2), (17, 2), (18, 2))
N_THING_QUERIES = sum(n for _, n in THING_SLOTS)


def slot_queries():
    """-> {thing train id: (query indices, anchor points [n,2] (cx, cy) in whole-frame coordinates)}."""
    out = {}
    q = N_STUFF
    for c, n in THING_SLOTS:
        anchors = torch.tensor([[(j + 0.5) / n, 0.65] for j in range(n)], dtype=torch.float32)
        out[c] = (torch.arange(q, q + n), anchors)
        q += n
    return out


SLOTS = slot_queries()


def assign(logits, boxes, masks4, t):
    """Query <-> segment assignment for one image.
    * stuff segment of class c -> query c (fixed);
    * thing instances of class c -> the queries dedicated to class c, by Hungarian matching whose cost adds
      to DETR's (class, box L1 + GIoU, mask BCE + dice) a fixed prior: W["anchor"] x the L1 distance between
      the instance centre (whole-frame coordinates) and the slot's anchor point, which keeps the assignment
      stable while the predictions are still alike;
    * an instance beyond its class's slots is merged into the matched slot with the nearest centre.
    -> (query idx, target idx, merged target idx, merged into query)."""
    cls = t["classes"]
    st = torch.nonzero(cls < N_STUFF).flatten()
    qi, ti, et, eq = [cls[st]], [st], [], []
    for c, (qs, anchors) in SLOTS.items():
        inst = torch.nonzero(cls == c).flatten()
        if len(inst) == 0:
            continue
        sub = dict(classes=cls[inst], boxes=t["boxes"][inst], soft4=t["soft4"][inst], valid4=t["valid4"])
        prior = W["anchor"] * torch.cdist(anchors, t["centers"][inst], p=1)
        r, k = match(logits[qs], boxes[qs], masks4[qs], sub, prior)
        r, k = torch.from_numpy(r), torch.from_numpy(k)
        qi.append(qs[r])
        ti.append(inst[k])
        rest = [u for u in range(len(inst)) if u not in set(k.tolist())]
        for u in rest:
            d = (t["centers"][inst[k]] - t["centers"][inst[u]]).abs().sum(1)
            et.append(int(inst[u]))
            eq.append(int(qs[r][int(d.argmin())]))
    return torch.cat(qi), torch.cat(ti), torch.tensor(et, dtype=torch.long), torch.tensor(eq, dtype=torch.long)


def compute_loss(out, targets):
    """out: DETRPanoptic.forward_train dict; targets: make_batch_targets list -> (loss, parts).

    Matching (assign): fixed for the stuff queries, Hungarian within each thing class's dedicated queries
    (last decoder layer; the auxiliary decoder layers reuse it). DETR losses: class CE (no-object weight EOS_COEF) and box L1 + GIoU on
    every decoder layer; mask sigmoid BCE + dice on the matched queries at full resolution (masks upsampled
    bilinearly, as the post-processing does; ignore pixels masked out). Added for the short CPU schedule:
    "qce", a per-pixel cross-entropy over ALL queries' upsampled mask logits with the pixel's matched query as
    target (exactly the arg-max the post-processing takes; pushes unmatched queries' masks down), attention
    localisation of the decoder cross-attention and MHAttentionMap ("loc", "att"), and dense semantic CE on
    the encoder memory ("sem") and on the stride-4 backbone features ("pix")."""
    logits, boxes, masks = out["logits"], out["boxes"], out["masks"]
    L, B, Q, _ = logits.shape
    num = max(sum(len(t["classes"]) for t in targets), 1)
    weight = torch.ones(dp.NUM_CLASSES + 1)
    weight[dp.NO_OBJECT] = EOS_COEF
    tcls = torch.full((B, Q), dp.NO_OBJECT, dtype=torch.long)
    l1 = giou = bce = dice = qce = loc = att = 0.0
    for b, t in enumerate(targets):
        qi, ti, et, eq = assign(logits[-1, b].detach(), boxes[-1, b].detach(), masks[b].detach(), t)
        if len(qi) == 0:
            continue
        tcls[b, qi] = t["classes"][ti]
        tb = t["boxes"][ti]
        pb = boxes[:, b, qi]  # [L,k,4]
        l1 = l1 + (pb - tb).abs().sum() / L
        for layer in range(L):
            giou = giou + (1 - torch.diag(generalized_iou(box_xyxy(pb[layer]), box_xyxy(tb)))).sum() / L
            loc = loc + attention_inside(out["cross"][layer, b][:, qi].transpose(0, 1), t["inside32"][ti]) / L
        att = att + attention_inside(out["att"][b, qi].flatten(2), t["inside32"][ti])
        up = F.interpolate(masks[b][None], size=t["valid"].shape, mode="bilinear", align_corners=False)[0]
        lut = torch.full((256,), 255, dtype=torch.long)
        lut[ti] = qi
        lut[et] = eq
        qmap = lut[t["seg"].clamp(max=255)]
        qmap[t["seg"] == 255] = 255
        qce = qce + F.cross_entropy(up[None], qmap[None], ignore_index=255)
        upm = up[qi]
        y, w = (qmap[None] == qi[:, None, None]).float(), t["valid"]
        wsum = w.sum().clamp(min=1)
        bce = bce + (F.binary_cross_entropy_with_logits(upm, y, reduction="none") * w).sum((1, 2)).div(wsum).sum()
        s = upm.sigmoid() * w
        dice = dice + (1 - (2 * (s * y).sum((1, 2)) + 1) / (s.sum((1, 2)) + (y * w).sum((1, 2)) + 1)).sum()
    ce_layers = [F.cross_entropy(logits[layer].flatten(0, 1), tcls.flatten(), weight=weight) for layer in range(L)]
    ce = sum(ce_layers) / L * 0.5 + ce_layers[-1] * 0.5
    parts = dict(ce=float(ce_layers[-1]), l1=float(l1) / num, giou=float(giou) / num, bce=float(bce) / num,
                 dice=float(dice) / num, qce=float(qce) / B, loc=float(loc) / num, att=float(att) / num)
    loss = (W["ce"] * ce + W["l1"] * l1 / num + W["giou"] * giou / num + W["bce"] * bce / num
            + W["dice"] * dice / num + W["qce"] * qce / B + W["loc"] * loc / num + W["att"] * att / num)
    comp = torch.stack([t["comp32"] for t in targets])  # [B,19,h,w], sums to the valid fraction
    sem = -(comp * F.log_softmax(out["mem_sem"], 1)).sum(1).sum() / comp.sum().clamp(min=1)
    tid = torch.stack([t["tid"] for t in targets])
    pix_up = F.interpolate(out["pix_sem"], size=tid.shape[-2:], mode="bilinear", align_corners=False)
    pix = F.cross_entropy(pix_up, tid, ignore_index=255)
    parts.update(sem=float(sem), pix=float(pix))
    loss = loss + W["sem"] * sem + W["pix"] * pix
    return loss, parts


# ------------------------------------------------------------------------------------------- evaluation
def confusion(pred, gt, n=dp.NUM_CLASSES):
    m = gt != 255
    p = pred[m].astype(np.int64)
    g = gt[m].astype(np.int64)
    p = np.where(p == 255, n, p)  # unlabelled prediction: a false negative for the GT class
    return np.bincount(g * (n + 1) + p, minlength=n * (n + 1)).reshape(n, n + 1)


def miou_from_confusion(cm):
    n = cm.shape[0]
    tp = np.diag(cm[:, :n]).astype(np.float64)
    fn = cm.sum(1) - tp
    fp = cm[:, :n].sum(0) - tp
    denom = tp + fp + fn
    iou = np.where(denom > 0, tp / np.maximum(denom, 1), np.nan)
    return float(np.nanmean(iou)), iou


def predict(model, frames, batch=4, threshold=None):
    """model: eager or TorchScript returning (logits, masks). -> list of (seg_ids, train_ids, segments)."""
    threshold = THRESHOLD if threshold is None else threshold
    out = []
    with torch.no_grad():
        for s in range(0, len(frames), batch):
            x = torch.from_numpy(sd.normalise(frames[s:s + batch]))
            logits, masks = model(x)
            for i in range(x.shape[0]):
                out.append(dp.panoptic_postprocess(logits[i], masks[i], threshold, tuple(x.shape[-2:])))
    return out


def evaluate(model, root, limit=None, verbose=True, log=print):
    frames, train_ids, inst, names = sd.load_split(root, limit=limit)
    model.eval()
    preds = predict(model, frames)
    cm = np.zeros((dp.NUM_CLASSES, dp.NUM_CLASSES + 1), np.int64)
    for (seg, sem, segments), gt in zip(preds, train_ids):
        cm += confusion(sem, gt)
    miou, iou = miou_from_confusion(cm)
    if verbose:
        log(f"val mIoU {miou:.4f} on {len(frames)} frames ({root})")
        log("per-class IoU: " + " ".join(f"{c}:{'-' if np.isnan(v) else f'{v:.3f}'}" for c, v in enumerate(iou)))
        _, tcls, _ = build_targets(train_ids[:8], inst[:8])
        log("segments pred/GT (first 8 frames): " + " ".join(
            f"{len(p[2])}/{len(t)}" for p, t in zip(preds[:8], tcls)))
        npred = sum(len(p[2]) for p in preds)
        _, allcls, _ = build_targets(train_ids, inst)
        log(f"segments total pred {npred} vs GT {sum(len(t) for t in allcls)}")
    return miou, iou


# ------------------------------------------------------------------------------------------- export
def export(model, path, log=print):
    model.eval()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    example = torch.from_numpy(sd.normalise(np.zeros((2, 256, 512, 3), np.uint8)))
    with torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=False)
    torch.jit.save(traced, path)
    reloaded = torch.jit.load(path)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(3, 3, 256, 512, generator=g) * 1.5
    with torch.no_grad():
        l3, m3 = reloaded(x)
        l1, m1 = reloaded(x[1:2])
        e3 = model(x)
    ok = (torch.allclose(l3[1:2], l1, atol=1e-5, rtol=1e-5) and torch.allclose(m3[1:2], m1, atol=1e-5, rtol=1e-5))
    diff = max(float((l3[1:2] - l1).abs().max()), float((m3[1:2] - m1).abs().max()))
    eager = max(float((l3 - e3[0]).abs().max()), float((m3 - e3[1]).abs().max()))
    log(f"exported {path} ({os.path.getsize(path)} bytes); batch1 vs batch3 max|diff| {diff:.2e} -> "
        f"{'OK' if ok else 'MISMATCH'}; traced vs eager max|diff| {eager:.2e}; "
        f"output shapes {tuple(l3.shape)} {tuple(m3.shape)}")
    if not ok:
        raise SystemExit("batch invariance check failed")
    write_spec(path, model)
    return reloaded


def write_spec(path, model):
    yaml_path = os.path.splitext(path)[0] + ".yaml"
    cfg = model.config
    text = f"""# segspark model spec (made by notebooks/models/train_detr.py — see notebooks/models/README.md)
name: {NAME}
model: {os.path.basename(path)}          # TorchScript file, relative to this YAML (or any Hadoop-FS URI)
architecture: detr-panoptic        # segformer | danet | detr-panoptic
adapter: detr-panoptic             # logits | danet | detr-panoptic | labels
classes: cityscapes                # dataset label table
outputIds: trainIds                # output index k = the k-th Cityscapes train class (index 19 = no object)
numClasses: 19
input: {{height: 256, width: 512, resize: whole}}
channels: RGB
mean: [123.675, 116.28, 103.53]
std: [58.395, 57.12, 57.375]
batchSize: 4
precision: fp32
# outputs: (pred_logits [B,{cfg['num_queries']},20], pred_masks [B,{cfg['num_queries']},64,128]); stuff = train ids 0..10
detr: {{threshold: {THRESHOLD}}}
"""
    with open(yaml_path, "w") as f:
        f.write(text)


def write_references(pt_path, ref_root, out_dir, log=print):
    """Run the reloaded TorchScript file (float32, batch 1) on the reference frames."""
    model = torch.jit.load(pt_path)
    model.eval()
    frames, train_ids, _, names = sd.load_split(ref_root)
    os.makedirs(out_dir, exist_ok=True)
    cm = np.zeros((dp.NUM_CLASSES, dp.NUM_CLASSES + 1), np.int64)
    for i, name in enumerate(names):
        (seg, sem, segments), = predict(model, frames[i:i + 1], batch=1)
        Image.fromarray(sem, mode="L").save(os.path.join(out_dir, name + "_trainIds.png"))
        Image.fromarray(seg, mode="L").save(os.path.join(out_dir, name + "_segmentIds.png"))
        with open(os.path.join(out_dir, name + "_segments.json"), "w") as f:
            json.dump(segments, f, indent=1)
            f.write("\n")
        cm += confusion(sem, train_ids[i])
        log(f"reference {name}: {len(segments)} segments, classes {sorted(set(s['category'] for s in segments))}")
    log(f"reference frames mIoU {miou_from_confusion(cm)[0]:.4f}")


# ------------------------------------------------------------------------------------------- training
def lr_at(step, steps, base, warmup=50):
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(steps - warmup, 1)
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def build_model(args):
    return dp.DETRPanoptic(num_queries=N_STUFF + N_THING_QUERIES, d_model=args.d_model, heads=args.heads,
                           enc_layers=args.layers, dec_layers=args.layers, ff=args.ff, mask_ctx=args.mask_ctx)


def train(args, log=print):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    frames, tids, insts = [], [], []
    for root in args.data:
        f, t, ins, _ = sd.load_split(root)
        frames.append(f)
        tids.append(t)
        insts.append(ins)
    frames, tids, insts = np.concatenate(frames), np.concatenate(tids), np.concatenate(insts)
    segs, classes, _ = build_targets(tids, insts)
    del tids, insts
    log(f"train frames {len(frames)}, segments/image max {max(len(c) for c in classes)} "
        f"mean {np.mean([len(c) for c in classes]):.2f}; queries: {N_STUFF} stuff + thing slots {THING_SLOTS}")
    model = build_model(args)
    log(f"parameters {dp.count_parameters(model)} config {model.config}")
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    step = 0
    best = -1.0
    ckpt = os.path.join(args.out, "ckpt.pt")
    os.makedirs(args.out, exist_ok=True)
    if args.resume and os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step = state["step"]
        best = state.get("best", -1.0)
        rng = np.random.default_rng(args.seed + step)
        torch.manual_seed(args.seed + step)
        log(f"resumed from {ckpt} at step {step}")
    model.train()
    t0 = time.time()
    t_start = time.time()
    order = rng.permutation(len(frames))
    pos = 0
    H, Wd = frames.shape[1:3]
    while step < args.steps:
        ch, cw = args.crop if (args.crop_steps == 0 or step < args.crop_steps) else (H, Wd)
        if args.max_minutes and (time.time() - t_start) / 60 > args.max_minutes:
            log(f"time budget reached at step {step}")
            break
        if pos + args.batch > len(order):
            order = rng.permutation(len(frames))
            pos = 0
        idx = order[pos:pos + args.batch]
        pos += args.batch
        flips = rng.random(len(idx)) < 0.5
        # one crop offset per batch (the positions are shared by the batch), on the stride-32 token grid
        y0 = int(rng.integers(0, (H - ch) // 32 + 1)) * 32
        x0 = int(rng.integers(0, (Wd - cw) // 32 + 1)) * 32
        img = np.stack([(im[:, ::-1] if f else im)[y0:y0 + ch, x0:x0 + cw] for im, f in zip(frames[idx], flips)])
        x = torch.from_numpy(sd.normalise(img))
        targets = make_batch_targets(segs, classes, idx, flips, [(y0, x0, ch, cw)] * len(idx), (H, Wd))
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr, args.warmup)
        loss, parts = compute_loss(model.forward_train(x, (y0 // 32, x0 // 32)), targets)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        step += 1
        if step % 20 == 0 or step == 1:
            dt = (time.time() - t0) / (20 if step > 1 else 1)
            t0 = time.time()
            log(f"step {step} loss {float(loss):.3f} " + " ".join(f"{k} {v:.3f}" for k, v in parts.items()) +
                f" lr {lr_at(step - 1, args.steps, args.lr, args.warmup):.2e} {dt:.2f}s/step")
        if args.eval_every and step % args.eval_every == 0 and step < args.steps:
            miou, _ = evaluate(model, args.val, limit=40, log=log)
            if miou > best:
                best = miou
                torch.save(dict(model=model.state_dict(), step=step, config=model.config, miou40=miou),
                           os.path.join(args.out, "best.pt"))
            model.train()
            t0 = time.time()
        if step % args.ckpt_every == 0 or step == args.steps:
            torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step, config=model.config,
                            best=best), ckpt)
    torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step, config=model.config, best=best),
               ckpt)
    log(f"training time this run {(time.time() - t_start) / 60:.1f} min, step {step}")
    return model


def threshold_sweep(model, root, thresholds=(0.3, 0.4, 0.5, 0.6, 0.7, 0.85), log=print):
    frames, train_ids, _, _ = sd.load_split(root)
    model.eval()
    with torch.no_grad():
        outs = [model(torch.from_numpy(sd.normalise(frames[s:s + 4]))) for s in range(0, len(frames), 4)]
    res = {}
    for thr in thresholds:
        cm = np.zeros((dp.NUM_CLASSES, dp.NUM_CLASSES + 1), np.int64)
        k = 0
        for lg, mk in outs:
            for i in range(lg.shape[0]):
                _, sem, _ = dp.panoptic_postprocess(lg[i], mk[i], thr, tuple(frames.shape[1:3]))
                cm += confusion(sem, train_ids[k])
                k += 1
        res[thr] = miou_from_confusion(cm)[0]
    log("threshold sweep: " + " ".join(f"{t}:{v:.4f}" for t, v in res.items()))
    return res


def main(argv=None):
    global THRESHOLD
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", nargs="+", default=["/work/data/train"], help="training roots (synth layout)")
    ap.add_argument("--val", default="/work/data/val")
    ap.add_argument("--steps", type=int, default=1800)
    ap.add_argument("--out", default="/tmp/detr-run", help="checkpoint + log folder")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="TorchScript output (spec YAML written beside it)")
    ap.add_argument("--ref", default="/work/data/ref4", help="reference frames root")
    ap.add_argument("--ref-out", default=DEFAULT_REF_OUT)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--crop", type=int, nargs=2, default=[256, 512], metavar=("H", "W"),
                    help="training crop (multiples of 32; the exported model always runs at 256x512)")
    ap.add_argument("--crop-steps", type=int, default=0,
                    help="use --crop for the first N steps, whole frames afterwards (0: --crop throughout)")
    ap.add_argument("--mask-ctx", type=int, default=128)
    ap.add_argument("--d-model", type=int, default=64)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--ff", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ckpt-every", type=int, default=100)
    ap.add_argument("--eval-every", type=int, default=300)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop (and checkpoint) after this wall time")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--threshold", default=str(THRESHOLD),
                    help="post-processing score threshold used for evaluation and written to the spec (detr:); "
                         "'auto': the best of the sweep on --val (the highest threshold within 0.005 of the best)")
    ap.add_argument("--export-only", action="store_true", help="skip training: load <out>/ckpt.pt and export")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "log.txt"), "a")

    def log(msg):
        msg = time.strftime("%H:%M:%S ") + msg
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    if args.export_only:
        state = torch.load(os.path.join(args.out, "ckpt.pt"))
        model = dp.DETRPanoptic(**state["config"])
        model.load_state_dict(state["model"])
        log(f"loaded {args.out}/ckpt.pt (step {state['step']})")
    else:
        model = train(args, log)
    model.eval()
    sweep = threshold_sweep(model, args.val, log=log)
    if args.threshold == "auto":
        top = max(sweep.values())
        THRESHOLD = max(t for t, v in sweep.items() if v >= top - 0.005)
    else:
        THRESHOLD = float(args.threshold)
    log(f"threshold {THRESHOLD}")
    evaluate(model, args.val, log=log)
    if not args.no_export:
        export(model, args.model, log=log)
        write_references(args.model, args.ref, args.ref_out, log=log)


if __name__ == "__main__":
    main()
