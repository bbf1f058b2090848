"""Export the bundled SegFormer (conf/models/segformer-synth.pt) to ONNX for DJL's ONNX Runtime engine.

    python3 notebooks/models/export_onnx.py            # -> conf/models/segformer-synth.onnx

The TorchScript file made by `train_semantic.py --arch segformer` is not exported directly:
the nn.Module is rebuilt from `segformer.py` (the architecture config of `train_semantic.py`,
overridable with --config), the TorchScript file's state_dict is loaded into it (strictly: every
tensor, same names and shapes), and that module is exported with `torch.onnx.export`:

* input `input`, float32 [B, 3, 256, 512], normalised RGB (`(pixel - mean) / std`, pixel units);
* output `logits`, float32 [B, 19, 64, 128];
* the batch axis is dynamic (`dynamic_axes`), so segspark may run any batch size.

Before exporting, the rebuilt module's output is compared with the TorchScript file's on the four
committed reference frames (udfs/src/test/resources/models/frames/, normalised as synth_data.py
does), with batch 1 and batch 4; the largest absolute difference is printed and must stay under
--tolerance. Needs Debian's python3-torch (1.13, opset 17 at most) and no `onnx` package.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import segformer  # noqa: E402
import synth_data  # noqa: E402
import train_semantic  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FRAMES = os.path.join(REPO, "udfs", "src", "test", "resources", "models", "frames")


def load_frames(folder):
    """The committed reference frames, sorted by name, as normalised float32 [N, 3, H, W]."""
    paths = sorted(glob.glob(os.path.join(folder, "*_leftImg8bit.png")))
    if not paths:
        raise SystemExit(f"Cannot load frames: no *_leftImg8bit.png ({folder})")
    frames = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.uint8) for p in paths])
    return torch.from_numpy(synth_data.normalise(frames)), [os.path.basename(p) for p in paths]


def rebuild(torchscript_path, config):
    """SegFormer from segformer.py with the TorchScript file's weights (strict load), in eval mode."""
    scripted = torch.jit.load(torchscript_path, map_location="cpu").eval()
    model = segformer.SegFormer(**config)
    model.load_state_dict(scripted.state_dict(), strict=True)
    return segformer.set_training_fast_path(model.eval(), False), scripted


@torch.no_grad()
def max_diff(model, scripted, x):
    """Largest |rebuilt - TorchScript| over the frames, run as one batch of all and one at a time."""
    batch = (model(x) - scripted(x)).abs().max().item()
    single = max((model(x[i:i + 1]) - scripted(x[i:i + 1])).abs().max().item() for i in range(len(x)))
    return single, batch


def export(model, example, path, opset):
    with torch.no_grad():
        torch.onnx.export(
            model,
            example,
            path,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
            opset_version=opset,
            do_constant_folding=True,
        )


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(REPO, "conf", "models", "segformer-synth.pt"))
    p.add_argument("--out", default=os.path.join(REPO, "conf", "models", "segformer-synth.onnx"))
    p.add_argument("--frames", default=FRAMES)
    p.add_argument("--config", default="{}", help="JSON model config overriding train_semantic's defaults")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |rebuilt - TorchScript|")
    return p.parse_args(argv)


def run(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    config = train_semantic.default_config("segformer")
    config.update(json.loads(args.config))
    model, scripted = rebuild(args.model, config)
    x, names = load_frames(args.frames)
    single, batch = max_diff(model, scripted, x)
    print(f"rebuilt SegFormer vs {os.path.basename(args.model)} on {len(names)} frames: "
          f"max |diff| batch 1 {single:.3g}, batch {len(names)} {batch:.3g}", flush=True)
    if max(single, batch) > args.tolerance:
        raise SystemExit(f"Cannot export {args.model}: the rebuilt module differs from the TorchScript file "
                         f"(max |diff| {max(single, batch):.3g} > {args.tolerance})")
    export(model, x[:2], args.out, args.opset)
    with torch.no_grad():
        shape = tuple(model(x).shape)
    print(f"exported {args.out} ({os.path.getsize(args.out) / 1e6:.2f} MB, opset {args.opset}); "
          f"input [B, 3, {x.shape[2]}, {x.shape[3]}] -> logits {list(shape)} for B = {len(names)}", flush=True)


if __name__ == "__main__":
    run()
