#!/usr/bin/env python3
"""Train, evaluate and export the bundled semantic models (SegFormer, DANet) on segspark synth frames.

    python3 notebooks/models/train_semantic.py --arch segformer --steps 2000
    python3 notebooks/models/train_semantic.py --arch danet --steps 1500

Per run: trains on `--data` (random crops + flips, cross-entropy ignoring 255 on logits
bilinearly resized to the crop, the same resize the Java pipeline applies before argmax),
checkpoints every `--ckpt-every` steps under `--ckpt-dir` (`--resume` continues from there),
then exports `<out>/<arch>-synth.pt` (TorchScript, traced on CPU in eval mode) and its spec
`<out>/<arch>-synth.yaml`, reloads the file, checks that batch 1 and batch 3 give the same
logits, reports the val mIoU of the reloaded file (per class too) and writes the reference
predictions of the reloaded file for the Java parity test.

Metric (Cityscapes-style, the contract's): confusion over the pixels whose GT is not 255;
IoU_c = tp / (tp + fp + fn); mean over the classes with tp + fp + fn > 0.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synth_data  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CLASS_NAMES = (
    "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
    "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
    "motorcycle", "bicycle",
)
# Output stride of each architecture's logits (the crop offsets are kept multiples of the
# network's largest stride so every crop samples the same grid phase as the full frame).
ARCHS = {
    "segformer": dict(script="train_semantic.py --arch segformer", adapter="logits", align=32),
    "danet": dict(script="train_semantic.py --arch danet", adapter="danet", align=8),
}
DANET_AUX_WEIGHTS = (1.0, 1.0, 1.0)  # fused, PAM, CAM: the paper sums the three losses


# ---------------------------------------------------------------- models

def build_model(arch, **config):
    if arch == "segformer":
        import segformer

        return segformer.SegFormer(**config)
    if arch == "danet":
        import danet

        return danet.DANet(**config)
    raise SystemExit(f"Cannot build model: unknown architecture ({arch})")


def set_fast_path(model, on):
    """Training-only CPU speed switch of the model module (no effect on results)."""
    module = sys.modules[type(model).__module__]
    if hasattr(module, "set_training_fast_path"):
        module.set_training_fast_path(model, on)
    return model


def main_logits(output):
    """The prediction head: the tensor itself, or the first of a tuple (DANet: fused PAM+CAM)."""
    return output[0] if isinstance(output, (tuple, list)) else output


def predict(model, x, size):
    """Exactly the Java post-processing: bilinear resize (align_corners=False) then argmax."""
    up = F.interpolate(main_logits(model(x)), size=size, mode="bilinear", align_corners=False)
    return up.argmax(1).to(torch.uint8)


# ---------------------------------------------------------------- data

def load_frames(roots):
    frames, labels = [], []
    for root in roots.split(","):
        f, t, _, _ = synth_data.load_split(root)
        frames.append(f)
        labels.append(t)
    return np.concatenate(frames), np.concatenate(labels)


def sample_batch(rng, frames, labels, batch, crop_h, crop_w, align):
    n, h, w = labels.shape
    xs, ys = [], []
    for _ in range(batch):
        i = rng.integers(n)
        top = align * rng.integers((h - crop_h) // align + 1)
        left = align * rng.integers((w - crop_w) // align + 1)
        img = frames[i, top:top + crop_h, left:left + crop_w]
        lab = labels[i, top:top + crop_h, left:left + crop_w]
        if rng.random() < 0.5:
            img, lab = img[:, ::-1], lab[:, ::-1]
        xs.append(img)
        ys.append(lab)
    x = torch.from_numpy(synth_data.normalise(np.stack(xs)))
    y = torch.from_numpy(np.ascontiguousarray(np.stack(ys)).astype(np.int64))
    return x, y


def class_weights(labels, power):
    """(median frequency / frequency) ** power over the classes present; 1 where absent."""
    counts = np.bincount(labels.ravel(), minlength=256)[: synth_data.NUM_CLASSES].astype(np.float64)
    present = counts > 0
    freq = counts / counts.sum()
    w = np.ones(synth_data.NUM_CLASSES)
    w[present] = (np.median(freq[present]) / freq[present]) ** power
    return torch.tensor(w, dtype=torch.float32)


# ---------------------------------------------------------------- metric

def confusion(pred, gt, k=synth_data.NUM_CLASSES):
    keep = gt != 255
    idx = gt[keep].astype(np.int64) * k + pred[keep].astype(np.int64)
    return np.bincount(idx, minlength=k * k).reshape(k, k)


def scores(cm):
    tp = np.diag(cm).astype(np.float64)
    denom = cm.sum(0) + cm.sum(1) - tp
    iou = np.full(len(tp), np.nan)
    iou[denom > 0] = tp[denom > 0] / denom[denom > 0]
    return float(np.nanmean(iou)), iou


@torch.no_grad()
def evaluate(model, frames, labels, batch=4):
    cm = np.zeros((synth_data.NUM_CLASSES,) * 2, dtype=np.int64)
    for s in range(0, len(frames), batch):
        x = torch.from_numpy(synth_data.normalise(frames[s:s + batch]))
        pred = predict(model, x, labels.shape[1:]).numpy()
        cm += confusion(pred, labels[s:s + batch])
    return scores(cm)


def format_ious(iou):
    return " ".join(f"{CLASS_NAMES[c]}={'-' if np.isnan(v) else f'{v:.3f}'}" for c, v in enumerate(iou))


# ---------------------------------------------------------------- training

def lr_at(step, steps, base, warmup):
    if step < warmup:
        return base * (step + 1) / warmup
    return base * (1.0 - (step - warmup) / max(1, steps - warmup)) ** 1.0  # poly, power 1


def loss_fn(output, target, weight):
    """Cross-entropy (ignore 255) of the main logits bilinearly resized to the labels, as Java
    resizes them; auxiliary outputs (DANet's PAM and CAM heads) are scored at their own stride
    against the label at each cell's centre, which is cheaper and enough for a deep supervision."""
    outputs = output if isinstance(output, (tuple, list)) else (output,)
    up = F.interpolate(outputs[0], size=target.shape[1:], mode="bilinear", align_corners=False)
    total = F.cross_entropy(up, target, weight=weight, ignore_index=255)
    for o, a in zip(outputs[1:], DANET_AUX_WEIGHTS[1:]):
        stride = target.shape[2] // o.shape[3]
        centres = target[:, stride // 2::stride, stride // 2::stride]
        total = total + a * F.cross_entropy(o, centres, weight=weight, ignore_index=255)
    return total


def train(args, model, frames, labels, val=None):
    """Train `model` in place for args.steps steps (resuming from args.ckpt_dir when asked)."""
    spec = ARCHS[args.arch]
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    rng = np.random.default_rng(args.seed)
    ckpt = os.path.join(args.ckpt_dir, f"{args.arch}-synth.ckpt")
    start = 0
    if args.resume and os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        start = state["step"]
        print(f"resumed from {ckpt} at step {start}", flush=True)
    weight = class_weights(labels, args.class_weight_power) if args.class_weight_power > 0 else None
    crop_h, crop_w = args.crop
    set_fast_path(model, True)
    model.train()
    t0, seen = time.time(), 0
    for step in range(start, args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.steps, args.lr, args.warmup)
        x, y = sample_batch(rng, frames, labels, args.batch, crop_h, crop_w, spec["align"])
        loss = loss_fn(model(x), y, weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        seen += 1
        if (step + 1) % args.log_every == 0:
            print(f"step {step + 1}/{args.steps} loss {loss.item():.4f} lr {opt.param_groups[0]['lr']:.2e} "
                  f"{(time.time() - t0) / seen:.2f} s/step", flush=True)
        if (step + 1) % args.ckpt_every == 0 or step + 1 == args.steps:
            os.makedirs(args.ckpt_dir, exist_ok=True)
            torch.save(dict(model=model.state_dict(), optimizer=opt.state_dict(), rng=rng.bit_generator.state,
                            torch_rng=torch.get_rng_state(), step=step + 1, config=model.config), ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
        if val is not None and args.eval_every and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            model.eval()
            miou, iou = evaluate(model, *val)
            print(f"step {step + 1} val mIoU {miou:.4f} | {format_ious(iou)}", flush=True)
            model.train()
    model.eval()
    set_fast_path(model, False)
    if seen:
        print(f"trained {seen} steps in {time.time() - t0:.0f} s ({(time.time() - t0) / seen:.2f} s/step)", flush=True)
    return model


# ---------------------------------------------------------------- export

SPEC = """# segspark model spec (made by notebooks/models/{script} — see notebooks/models/README.md)
name: {name}
model: {name}.pt
architecture: {arch}
adapter: {adapter}
classes: cityscapes
outputIds: trainIds
numClasses: 19
input: {{height: {h}, width: {w}, resize: whole}}
channels: RGB
mean: [123.675, 116.28, 103.53]
std: [58.395, 57.12, 57.375]
batchSize: 4
precision: fp32
"""


def export(model, arch, out_dir, example):
    """Trace on CPU in eval mode, save, reload; check batch 1 == batch 3 on the example frames."""
    os.makedirs(out_dir, exist_ok=True)
    name = f"{arch}-synth"
    path = os.path.join(out_dir, name + ".pt")
    model = set_fast_path(model.eval(), False)
    with torch.no_grad():
        traced = torch.jit.trace(model, example[:2], check_trace=False)
    torch.jit.save(traced, path)
    loaded = torch.jit.load(path, map_location="cpu").eval()
    with torch.no_grad():
        batch3 = loaded(example[:3])
        single = [loaded(example[i:i + 1]) for i in range(3)]
        eager = model(example[:3])
    outs3 = batch3 if isinstance(batch3, (tuple, list)) else (batch3,)
    eager = eager if isinstance(eager, (tuple, list)) else (eager,)
    worst = 0.0
    for j, o3 in enumerate(outs3):
        o1 = torch.cat([(s if isinstance(s, (tuple, list)) else (s,))[j] for s in single])
        if not torch.allclose(o1, o3, rtol=1e-5, atol=1e-5):
            raise SystemExit(f"Cannot export {name}: output {j} differs between batch 1 and batch 3 "
                             f"(max |diff| {(o1 - o3).abs().max().item():.3g})")
        worst = max(worst, (o1 - o3).abs().max().item())
        if not torch.allclose(o3, eager[j], rtol=1e-4, atol=1e-4):
            raise SystemExit(f"Cannot export {name}: traced output {j} differs from the eager model")
    shapes = [tuple(o.shape) for o in outs3]
    print(f"exported {path} ({os.path.getsize(path) / 1e6:.2f} MB); reloaded outputs {shapes}; "
          f"batch 1 vs batch 3 max |diff| {worst:.2e} (allclose 1e-5: ok)", flush=True)
    with open(os.path.join(out_dir, name + ".yaml"), "w") as f:
        f.write(SPEC.format(script=ARCHS[arch]["script"], name=name, arch=arch, adapter=ARCHS[arch]["adapter"],
                            h=example.shape[2], w=example.shape[3]))
    return loaded, path


@torch.no_grad()
def write_references(loaded, ref_root, out_dir):
    """Reloaded TorchScript, float32, batch 1, per frame (sorted): `<prefix>_trainIds.png`."""
    frames, _, _, names = synth_data.load_split(ref_root)
    os.makedirs(out_dir, exist_ok=True)
    for frame, name in zip(frames, names):
        x = torch.from_numpy(synth_data.normalise(frame[None]))
        pred = predict(loaded, x, frame.shape[:2])[0].numpy()
        Image.fromarray(pred, mode="L").save(os.path.join(out_dir, f"{name}_trainIds.png"))
    print(f"wrote {len(names)} reference predictions to {out_dir}", flush=True)


# ---------------------------------------------------------------- entry points

def default_config(arch):
    if arch == "segformer":
        return dict(dims=(16, 32, 64, 128), heads=(1, 2, 4, 8), reductions=(8, 4, 2, 1), depths=(1, 1, 1, 1),
                    decoder_dim=64)
    return dict()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=sorted(ARCHS), required=True)
    p.add_argument("--data", default="/work/data/train", help="training root(s), comma-separated")
    p.add_argument("--val", default="/work/data/val")
    p.add_argument("--ref", default="/work/data/ref4", help="frames for the reference predictions")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", type=lambda s: tuple(int(v) for v in s.split("x")), default=(256, 256), help="HxW")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--class-weight-power", type=float, default=0.0,
                   help="CE class weights (median freq / freq) ** p; 0 = unweighted")
    p.add_argument("--config", default="{}", help="JSON model config overriding the defaults")
    p.add_argument("--out", default=os.path.join(REPO, "conf", "models"))
    p.add_argument("--refs-out", default=os.path.join(REPO, "udfs", "src", "test", "resources", "models", "reference"))
    p.add_argument("--ckpt-dir", default="/tmp/segspark-ckpt")
    p.add_argument("--ckpt-every", type=int, default=100)
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --ckpt-dir")
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--log-every", type=int, default=25)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    return p.parse_args(argv)


def run(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    config = default_config(args.arch)
    config.update(json.loads(args.config))
    model = build_model(args.arch, **config)
    print(f"{args.arch}: {sum(p.numel() for p in model.parameters())} parameters, config {model.config}", flush=True)
    frames, labels = load_frames(args.data)
    val_frames, val_labels, _, _ = synth_data.load_split(args.val)
    print(f"train frames {len(frames)}, val frames {len(val_frames)}", flush=True)
    train(args, model, frames, labels, val=(val_frames, val_labels))

    example = torch.from_numpy(synth_data.normalise(synth_data.load_split(args.ref)[0]))
    loaded, _ = export(model, args.arch, args.out, example)
    miou, iou = evaluate(loaded, val_frames, val_labels)
    print(f"FINAL {args.arch}-synth (reloaded TorchScript) val mIoU {miou:.4f} over "
          f"{int(np.sum(~np.isnan(iou)))} classes", flush=True)
    for c, v in enumerate(iou):
        print(f"  {c:2d} {CLASS_NAMES[c]:<14} {'-' if np.isnan(v) else f'{v:.4f}'}")
    write_references(loaded, args.ref, os.path.join(args.refs_out, f"{args.arch}-synth"))
    return miou, iou


if __name__ == "__main__":
    run()
