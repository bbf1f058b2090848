"""Loads `segspark synth` output (Cityscapes layout) as numpy arrays for training and references.

    frames, train_ids, instance_ids, names = load_split("/tmp/train", limit=None)

frames: uint8 [N, H, W, 3] RGB; train_ids: uint8 [N, H, W] (255 = ignore);
instance_ids: int32 [N, H, W] (Cityscapes: label_id * 1000 + k on numbered instances);
names: the frame prefixes `<city>_<seq>_<frame>`, sorted.
"""
import glob
import os

import numpy as np
from PIL import Image

# Cityscapes normalisation in pixel units, the same numbers the model specs carry.
MEAN = np.array([123.675, 116.28, 103.53], dtype=np.float32)
STD = np.array([58.395, 57.12, 57.375], dtype=np.float32)

NUM_CLASSES = 19
THING_TRAIN_IDS = tuple(range(11, 19))  # person, rider, car, truck, bus, train, motorcycle, bicycle
# Cityscapes label id -> train id for the instance classes (instanceIds hold label ids).
LABEL_TO_TRAIN = {24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 31: 16, 32: 17, 33: 18}


def frame_paths(root, split="val"):
    return sorted(glob.glob(os.path.join(root, "leftImg8bit", split, "*", "*_leftImg8bit.png")))


def prefix(path):
    return os.path.basename(path)[: -len("_leftImg8bit.png")]


def load_split(root, split="val", limit=None):
    paths = frame_paths(root, split)
    if limit is not None:
        paths = paths[:limit]
    if not paths:
        raise SystemExit(f"no frames under {root}/leftImg8bit/{split}")
    frames, trains, insts, names = [], [], [], []
    for p in paths:
        city = os.path.basename(os.path.dirname(p))
        name = prefix(p)
        gt = os.path.join(root, "gtFine", split, city, name + "_gtFine_")
        frames.append(np.asarray(Image.open(p).convert("RGB"), dtype=np.uint8))
        trains.append(np.asarray(Image.open(gt + "labelTrainIds.png"), dtype=np.uint8))
        insts.append(np.asarray(Image.open(gt + "instanceIds.png"), dtype=np.int32))
        names.append(name)
    return np.stack(frames), np.stack(trains), np.stack(insts), names


def normalise(frames_uint8):
    """uint8 [N,H,W,3] RGB -> float32 [N,3,H,W], (x - mean) / std, exactly as the Java pipeline."""
    x = (frames_uint8.astype(np.float32) - MEAN) / STD
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
