"""A small DETR panoptic model (Carion et al. 2020, "End-to-End Object Detection with Transformers"),
written from the paper's description for the segspark synthetic frames.

Structure, as in DETR:
  residual CNN backbone (features at strides 4/8/16/32; the three finer ones feed the mask head)
  -> 1x1 input projection -> sine positional encoding
  -> post-norm transformer encoder/decoder with learned object queries (positions added at every layer)
  -> class head (linear, 19 classes + "no object" as the last index) and box head (3-layer MLP, sigmoid cx,cy,w,h)
  -> MHAttentionMap: per query and per head, softmax attention of the decoder output over the encoder memory
  -> MaskHeadSmallConv: FPN-style convs over [memory expanded per query, attention maps], GroupNorm + ReLU,
     upsampled and summed with projected backbone features at 1/16, 1/8, 1/4 -> one mask logit map per query.

forward(x) returns the tuple (pred_logits [B,Q,20], pred_masks [B,Q,H/4,W/4]); the box predictions are only
used by the training loss (forward_train). All ops are batch-size agnostic so a traced module works for any B.

Post-processing shared with the Java adapter (detr-panoptic): `panoptic_postprocess`.
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 19
NO_OBJECT = NUM_CLASSES  # last logit index
STUFF_TRAIN_IDS = tuple(range(0, 11))
THING_TRAIN_IDS = tuple(range(11, 19))


# ------------------------------------------------------------------------------------ batch invariance
# libtorch's CPU convolution picks its kernel (oneDNN or the native one) from the input's total size: a
# stride-1 conv whose input has <= 20480 elements uses the native kernel for batch 1 but oneDNN for batch > 1
# (and, with several threads, the same holds for 1x1 convs), so an image's result would depend on the batch
# it came in (~1e-5 on the mask logits). The small stride-32 convs below are therefore run on an input
# zero-padded (below the image) past that size, then cropped: the same maths, the same kernel for any batch.
_NATIVE_CONV_MAX_NUMEL = 20480


def batch_stable_conv2d(x, weight, bias, padding: int):
    """conv2d (stride 1, no dilation/groups, square `padding`) computed on a bottom-padded input whose
    per-image size exceeds the native-kernel limit; identical to F.conv2d(x, weight, bias, 1, padding)."""
    c, h, w = x.shape[1], x.shape[2], x.shape[3]
    rows = _NATIVE_CONV_MAX_NUMEL // (c * (w + 2 * padding)) + 1
    extra = max(0, rows - (h + 2 * padding))
    if extra == 0:
        return F.conv2d(x, weight, bias, 1, padding)
    y = F.conv2d(F.pad(x, (padding, padding, padding, padding + extra)), weight, bias, 1, 0)
    return y[:, :, :h, :]


def _conv(conv: nn.Conv2d, x):
    if conv.stride == (1, 1) and conv.dilation == (1, 1) and conv.groups == 1 and conv.padding[0] == conv.padding[1]:
        return batch_stable_conv2d(x, conv.weight, conv.bias, conv.padding[0])
    return conv(x)


# ----------------------------------------------------------------------------------------------- backbone
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(_conv(self.conv1, x)))
        y = self.bn2(_conv(self.conv2, y))
        s = x if self.short is None else self.short(x)
        return F.relu(y + s)


class Backbone(nn.Module):
    """ResNet-like: stem to 1/4, then one stage per stride 4, 8, 16, 32."""

    def __init__(self, widths=(24, 40, 64, 96), blocks=(1, 1, 2, 2)):
        super().__init__()
        w0 = widths[0]
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=False),
            nn.Conv2d(16, w0, 3, 2, 1, bias=False), nn.BatchNorm2d(w0), nn.ReLU(inplace=False),
        )
        stages = []
        cin = w0
        for i, (w, n) in enumerate(zip(widths, blocks)):
            layers = []
            for j in range(n):
                layers.append(BasicBlock(cin, w, 2 if (j == 0 and i > 0) else 1))
                cin = w
            stages.append(nn.Sequential(*layers))
        self.stages = nn.ModuleList(stages)
        self.channels = widths

    def forward(self, x):
        x = self.stem(x)
        feats = []
        for s in self.stages:
            x = s(x)
            feats.append(x)
        return feats  # strides 4, 8, 16, 32


# ---------------------------------------------------------------------------------------- transformer
def sine_position_encoding(feat, d_model, temperature: float = 100.0, normalize: bool = False,
                           offset_y: int = 0, offset_x: int = 0):
    """DETR's 2-D sine encoding. Returns [1, d_model, h, w]; it only depends on the feature map's size, so it
    is identical for every image of a batch. normalize=False (token index 1..w, DETR's un-normalised variant)
    with a low temperature gives this small model frequencies from 1 rad/token down to ~1/100 rad/token;
    the normalised variant (coordinates scaled to 2*pi over the map) tops out at one period per image, which
    left the tiny decoder unable to tell instances apart.
    offset_y/offset_x (training on crops only; 0 at inference and in the exported trace): the crop's position
    in tokens, so a crop's tokens get the positions they have in the full frame."""
    npf = d_model // 2
    ones = torch.ones_like(feat[:1, 0])  # [1,h,w]
    y = ones.cumsum(1) + float(offset_y)
    x = ones.cumsum(2) + float(offset_x)
    if normalize:
        eps = 1e-6
        y = y / (y[:, -1:, :] + eps) * (2 * math.pi)
        x = x / (x[:, :, -1:] + eps) * (2 * math.pi)
    dim_t = torch.arange(npf, dtype=torch.float32, device=feat.device)
    dim_t = temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / npf)
    px = x[:, :, :, None] / dim_t
    py = y[:, :, :, None] / dim_t
    px = torch.stack((px[:, :, :, 0::2].sin(), px[:, :, :, 1::2].cos()), dim=4).flatten(3)
    py = torch.stack((py[:, :, :, 0::2].sin(), py[:, :, :, 1::2].cos()), dim=4).flatten(3)
    return torch.cat((py, px), dim=3).permute(0, 3, 1, 2)


class Attention(nn.Module):
    """Multi-head attention with plain ops (batch first): q [B,Lq,d], k/v [B,Lk,d]."""

    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.dh = d // heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def _split(self, t):  # [B,L,d] -> [B,h,L,dh]
        return t.unflatten(2, (self.h, self.dh)).transpose(1, 2)

    def forward(self, q, k, v):
        qh = self._split(self.q(q)) * (self.dh ** -0.5)
        kh = self._split(self.k(k))
        vh = self._split(self.v(v))
        a = torch.softmax(qh @ kh.transpose(-1, -2), dim=-1)  # [B,h,Lq,Lk]
        out = (a @ vh).transpose(1, 2).flatten(2)
        return self.o(out), a


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.attn = Attention(d, heads)
        self.l1 = nn.Linear(d, ff)
        self.l2 = nn.Linear(ff, d)
        self.n1 = nn.LayerNorm(d)
        self.n2 = nn.LayerNorm(d)

    def forward(self, src, pos):
        qk = src + pos
        src = self.n1(src + self.attn(qk, qk, src)[0])
        return self.n2(src + self.l2(F.relu(self.l1(src))))


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.self_attn = Attention(d, heads)
        self.cross_attn = Attention(d, heads)
        self.l1 = nn.Linear(d, ff)
        self.l2 = nn.Linear(ff, d)
        self.n1 = nn.LayerNorm(d)
        self.n2 = nn.LayerNorm(d)
        self.n3 = nn.LayerNorm(d)

    def forward(self, tgt, memory, pos, query_pos):
        qk = tgt + query_pos
        tgt = self.n1(tgt + self.self_attn(qk, qk, tgt)[0])
        att, weights = self.cross_attn(tgt + query_pos, memory + pos, memory)
        tgt = self.n2(tgt + att)
        return self.n3(tgt + self.l2(F.relu(self.l1(tgt)))), weights


class Transformer(nn.Module):
    def __init__(self, d, heads, enc_layers, dec_layers, ff):
        super().__init__()
        self.enc = nn.ModuleList([EncoderLayer(d, heads, ff) for _ in range(enc_layers)])
        self.dec = nn.ModuleList([DecoderLayer(d, heads, ff) for _ in range(dec_layers)])
        self.dec_norm = nn.LayerNorm(d)

    def forward(self, src, pos, query_embed):
        """src [B,d,h,w], pos [1,d,h,w], query_embed [Q,d] -> (decoder outputs [L,B,Q,d], memory [B,d,h,w],
        cross-attention weights [L,B,heads,Q,hw])."""
        h, w = src.shape[-2], src.shape[-1]
        s = src.flatten(2).transpose(1, 2)  # [B,hw,d]
        p = pos.flatten(2).transpose(1, 2)  # [1,hw,d]
        for layer in self.enc:
            s = layer(s, p)
        memory = s
        query_pos = query_embed.unsqueeze(0) + torch.zeros_like(memory[:, :1, :])  # [B,Q,d]
        tgt = torch.zeros_like(query_pos)
        outs = []
        cross = []
        for layer in self.dec:
            tgt, weights = layer(tgt, memory, p, query_pos)
            outs.append(self.dec_norm(tgt))
            cross.append(weights)
        mem_map = memory.transpose(1, 2).unflatten(2, (h, w))
        return torch.stack(outs), mem_map, torch.stack(cross)


class MLP(nn.Module):
    def __init__(self, din, dh, dout, n):
        super().__init__()
        dims = [din] + [dh] * (n - 1)
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims, dims[1:] + [dout])])

    def forward(self, x):
        for i, l in enumerate(self.layers):
            x = l(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


# ---------------------------------------------------------------------------------------- mask head
class MHAttentionMap(nn.Module):
    """Attention weights of each query over the encoder memory, per head, softmax over all spatial positions:
    q [B,Q,d], k [B,d,h,w] -> [B,Q,heads,h,w]. Only the weights are returned (no values)."""

    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.dh = d // heads
        self.q_linear = nn.Linear(d, d)
        self.k_linear = nn.Linear(d, d)
        self.norm = float(self.dh) ** -0.5

    def forward(self, q, k):
        q = self.q_linear(q)
        # the key projection: the linear layer applied to every memory token (a 1x1 convolution here took a
        # batch-dependent kernel), back to the [B,d,h,w] map
        h, w = k.shape[-2], k.shape[-1]
        k = self.k_linear(k.flatten(2).transpose(1, 2)).transpose(1, 2).unflatten(2, (h, w))
        qh = q.unflatten(2, (self.h, self.dh))  # [B,Q,n,c]
        kh = k.unflatten(1, (self.h, self.dh))  # [B,n,c,h,w]
        # sum over c as a plain product + reduction (einsum's batched matmul takes a different kernel for
        # batch 1, which would make an image's result depend on its batch)
        weights = ((qh * self.norm).unsqueeze(-1).unsqueeze(-1) * kh.unsqueeze(1)).sum(3)  # [B,Q,n,h,w]
        return F.softmax(weights.flatten(2), dim=-1).view_as(weights)


class MaskHeadSmallConv(nn.Module):
    """FPN-style head run once per (image, query): input [memory projection, attention maps] at 1/32,
    then upsampled (nearest) and summed with adapted backbone features at 1/16, 1/8, 1/4."""

    def __init__(self, dim, fpn_dims, ctx):
        super().__init__()
        inter = [dim, ctx // 2, ctx // 4, ctx // 8, ctx // 8]
        self.lay1 = nn.Conv2d(dim, dim, 3, padding=1)
        self.gn1 = nn.GroupNorm(8, dim)
        self.lay2 = nn.Conv2d(dim, inter[1], 3, padding=1)
        self.gn2 = nn.GroupNorm(8, inter[1])
        self.lay3 = nn.Conv2d(inter[1], inter[2], 3, padding=1)
        self.gn3 = nn.GroupNorm(4, inter[2])
        self.lay4 = nn.Conv2d(inter[2], inter[3], 3, padding=1)
        self.gn4 = nn.GroupNorm(4, inter[3])
        self.lay5 = nn.Conv2d(inter[3], inter[4], 3, padding=1)
        self.gn5 = nn.GroupNorm(4, inter[4])
        self.out_lay = nn.Conv2d(inter[4], 1, 3, padding=1)
        self.adapter1 = nn.Conv2d(fpn_dims[0], inter[1], 1)
        self.adapter2 = nn.Conv2d(fpn_dims[1], inter[2], 1)
        self.adapter3 = nn.Conv2d(fpn_dims[2], inter[3], 1)

    @staticmethod
    def _expand(t, q):  # [B,C,h,w] -> [B*Q,C,h,w], each image repeated for its Q queries
        return t.unsqueeze(1).expand(-1, q, -1, -1, -1).flatten(0, 1)

    def forward(self, x, bbox_mask, fpns):
        q = bbox_mask.shape[1]
        att = bbox_mask.flatten(0, 1)
        # the softmax weights average 1/(h*w); rescaled to average 1 so they are not drowned by the memory
        att = att * float(att.shape[-2] * att.shape[-1])
        x = torch.cat([self._expand(x, q), att], 1)
        x = F.relu(self.gn1(self.lay1(x)))
        x = F.relu(self.gn2(self.lay2(x)))
        for adapter, lay, gn, f in ((self.adapter1, self.lay3, self.gn3, fpns[0]),
                                    (self.adapter2, self.lay4, self.gn4, fpns[1]),
                                    (self.adapter3, self.lay5, self.gn5, fpns[2])):
            cur = self._expand(adapter(f), q)
            x = cur + F.interpolate(x, size=cur.shape[-2:], mode="nearest")
            x = F.relu(gn(lay(x)))
        return self.out_lay(x)  # [B*Q,1,H/4,W/4]


# ---------------------------------------------------------------------------------------- full model
class DETRPanoptic(nn.Module):
    def __init__(self, num_queries=25, d_model=96, heads=8, enc_layers=3, dec_layers=3, ff=256,
                 widths=(24, 40, 64, 96), blocks=(1, 1, 2, 2), mask_ctx=64, pos_temperature=100.0,
                 pos_normalize=False):
        super().__init__()
        self.config = dict(num_queries=num_queries, d_model=d_model, heads=heads, enc_layers=enc_layers,
                           dec_layers=dec_layers, ff=ff, widths=tuple(widths), blocks=tuple(blocks),
                           mask_ctx=mask_ctx, pos_temperature=pos_temperature, pos_normalize=pos_normalize)
        self.pos_temperature = float(pos_temperature)
        self.pos_normalize = bool(pos_normalize)
        self.backbone = Backbone(widths, blocks)
        self.input_proj = nn.Conv2d(widths[3], d_model, 1)
        self.transformer = Transformer(d_model, heads, enc_layers, dec_layers, ff)
        self.query_embed = nn.Embedding(num_queries, d_model)
        self.class_embed = nn.Linear(d_model, NUM_CLASSES + 1)
        self.bbox_embed = MLP(d_model, d_model, 4, 3)
        self.bbox_attention = MHAttentionMap(d_model, heads)
        self.mask_head = MaskHeadSmallConv(d_model + heads, [widths[2], widths[1], widths[0]], mask_ctx)
        # training-only deep supervision: per-token class composition of the encoder memory (unused by forward)
        self.memory_sem = nn.Conv2d(d_model, NUM_CLASSES, 1)
        # training-only dense supervision: per-pixel semantic logits from the stride-4 backbone features (the
        # features the mask head's finest level adapts); unused by forward, so not in the exported trace
        self.pixel_sem = nn.Conv2d(widths[0], NUM_CLASSES, 1)
        self.d_model = d_model

    def forward_train(self, x, pos_offset=(0, 0), aux: bool = True):
        """Everything the training losses use: dict with logits [L,B,Q,20] and boxes [L,B,Q,4] for every
        decoder layer, masks [B,Q,H/4,W/4], cross [L,B,heads,Q,hw] (decoder cross-attention weights),
        att [B,Q,heads,h,w] (MHAttentionMap weights), mem_sem [B,19,h,w] (auxiliary memory class logits) and
        pix_sem [B,19,H/4,W/4] (auxiliary per-pixel class logits). pos_offset: a training crop's offset in
        stride-32 tokens (see sine_position_encoding); (0, 0) for whole frames."""
        f4, f8, f16, f32 = self.backbone(x)
        src = _conv(self.input_proj, f32)
        pos = sine_position_encoding(src, self.d_model, self.pos_temperature, self.pos_normalize,
                                     pos_offset[0], pos_offset[1])
        hs, memory, cross = self.transformer(src, pos, self.query_embed.weight)
        logits = self.class_embed(hs)
        boxes = self.bbox_embed(hs).sigmoid()
        att = self.bbox_attention(hs[-1], memory)  # [B,Q,heads,h,w]
        masks = self.mask_head(src, att, [f16, f8, f4])  # [B*Q,1,H/4,W/4]
        masks = masks.unflatten(0, (att.shape[0], att.shape[1])).squeeze(2)
        out = dict(logits=logits, boxes=boxes, masks=masks, cross=cross, att=att)
        if aux:
            out.update(mem_sem=self.memory_sem(memory), pix_sem=self.pixel_sem(f4))
        return out

    def forward(self, x):
        out = self.forward_train(x, aux=False)
        return out["logits"][-1], out["masks"]


# ---------------------------------------------------------------------------------------- post-processing
def panoptic_postprocess(logits, masks, threshold=0.85, out_size=(256, 512), min_area=4):
    """The detr-panoptic adapter's post-processing (the Java side implements exactly this) for ONE image.

    logits [Q,20] and masks [Q,h,w] (torch, float32). Returns (segment_ids uint8 [H,W] with 255 = none,
    train_ids uint8 [H,W] with 255 = none, segments list of dicts).
      * masks bilinearly upsampled to out_size (align_corners=False);
      * p = softmax(logits); label = argmax; score = p[label]; keep label != 19 and score > threshold,
        in query order;
      * each pixel -> the kept query with the highest mask logit (ties: the lowest);
      * first pass: all kept queries of one stuff class form one segment (led by the first of them);
        things are one segment per query;
      * while some segment has <= min_area pixels: drop its queries, re-assign pixels by arg-max over the
        remaining queries (the grouping is not recomputed);
      * segments numbered 0.. in kept order; a segment's query and score are those of its first query.
    """
    with torch.no_grad():
        up = F.interpolate(masks.unsqueeze(0), size=out_size, mode="bilinear", align_corners=False)[0]
        prob = torch.softmax(logits, dim=-1)
        score, label = prob.max(-1)
    up = up.numpy()
    score = score.numpy()
    label = label.numpy()
    H, W = out_size
    kept = [q for q in range(logits.shape[0]) if label[q] != NO_OBJECT and score[q] > threshold]
    # group of each kept query: the first kept query of its stuff class, or itself for things
    leader = {}
    first_of_class = {}
    for q in kept:
        c = int(label[q])
        if c in STUFF_TRAIN_IDS:
            leader[q] = first_of_class.setdefault(c, q)
        else:
            leader[q] = q
    alive = list(kept)
    while alive:
        stack = up[alive]  # [K,H,W]
        win = np.argmax(stack, axis=0)  # first maximum = lowest query
        seg_of_query = np.array([leader[q] for q in alive])
        pix_leader = seg_of_query[win]
        leaders = sorted(set(seg_of_query.tolist()))
        area = {l: int((pix_leader == l).sum()) for l in leaders}
        small = [l for l in leaders if area[l] <= min_area]
        if not small:
            break
        alive = [q for q in alive if leader[q] not in small]
    seg_ids = np.full((H, W), 255, np.uint8)
    train_ids = np.full((H, W), 255, np.uint8)
    segments = []
    if alive:
        leaders = []
        for q in alive:
            if leader[q] not in leaders:
                leaders.append(leader[q])
        index = {l: i for i, l in enumerate(leaders)}
        seg_of_pix = np.array([index[leader[q]] for q in alive])[win]
        seg_ids[:] = seg_of_pix.astype(np.uint8)
        cls = np.array([int(label[l]) for l in leaders])
        train_ids[:] = cls[seg_of_pix].astype(np.uint8)
        for i, l in enumerate(leaders):
            c = int(label[l])
            segments.append({"segment": i, "query": int(l), "category": c, "isthing": c in THING_TRAIN_IDS,
                             "area": int((seg_of_pix == i).sum()), "score": float(score[l])})
    return seg_ids, train_ids, segments


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
