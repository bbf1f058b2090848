"""A tiny SegFormer (Xie et al., 2021): Mix Transformer (MiT) encoder + all-MLP decoder.

Written from the paper's description, at toy width so it trains on a CPU in minutes:

* four stages at strides 4, 8, 16, 32, each an overlapping patch embedding (a strided
  convolution: kernel 7 / stride 4 for the first stage, kernel 3 / stride 2 after) followed by
  transformer blocks and a LayerNorm; there is no positional encoding anywhere;
* efficient self-attention: the keys and values come from a copy of the token map shrunk by
  a strided convolution of kernel = stride = R (the stage's reduction ratio) plus LayerNorm,
  so the attention costs N * N / R^2 instead of N^2;
* Mix-FFN: Linear -> 3x3 depth-wise convolution -> GELU -> Linear, the depth-wise convolution
  leaking the position information that a positional encoding would otherwise carry;
* pre-norm residual blocks: x + Attn(LN(x)), then x + MixFFN(LN(x));
* all-MLP decoder: each stage's map goes through its own linear layer to a common width,
  is bilinearly upsampled to 1/4 of the input, the four are concatenated, fused by a linear
  layer (+ BatchNorm + ReLU) and classified by one more linear layer.

`SegFormer(...)(x)` takes `[B, 3, H, W]` (normalised RGB) and returns one tensor of logits
`[B, num_classes, H/4, W/4]`. The network works on maps `[B, C, h, w]` throughout: a token-wise
Linear is a 1x1 convolution (`PixelLinear`) and a token LayerNorm is a LayerNorm over channels
(`ChannelLayerNorm`); tokens appear only inside attention, `h*w` of them per image. Every reshape
takes B, C, h and w from the tensor it reshapes, so a traced module works for any batch size, and
each image's result does not depend on the batch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PixelLinear(nn.Conv2d):
    """A linear layer applied to every pixel (token) of a map `[B, C, H, W]`: a 1x1 convolution.

    The paper's token-wise Linear layers are written this way so the whole network stays in
    map form (no token <-> map reshapes between layers). `fast_dilation` exists only because the
    Debian CPU build of torch used for training has a reference BLAS: a 1x1 convolution with
    dilation > 1 is the same function but is routed to oneDNN (10x faster on one thread).
    It is reset to 1 before export (see `set_training_fast_path`).
    """

    def __init__(self, in_ch, out_ch, bias=True):
        super().__init__(in_ch, out_ch, 1, bias=bias)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, 1, 0, self.dilation)


def set_training_fast_path(model, on):
    """Route 1x1 convolutions through oneDNN during CPU training (identical results)."""
    for m in model.modules():
        if isinstance(m, PixelLinear):
            m.dilation = (2, 2) if on else (1, 1)
    return model


class ChannelLayerNorm(nn.Module):
    """LayerNorm over the channel dimension of `[B, C, H, W]` (= LayerNorm of every token)."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        centred = x - mean
        var = centred.pow(2).mean(1, keepdim=True)
        y = centred * torch.rsqrt(var + self.eps)
        return y * self.weight[:, None, None] + self.bias[:, None, None]


class OverlapPatchEmbed(nn.Module):
    """Strided convolution whose kernel is larger than its stride (patches overlap), then LayerNorm."""

    def __init__(self, in_ch, dim, kernel, stride):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, dim, kernel, stride, padding=kernel // 2)
        self.norm = ChannelLayerNorm(dim)

    def forward(self, x):
        return self.norm(self.proj(x))


class EfficientSelfAttention(nn.Module):
    """Multi-head self-attention whose keys/values come from a spatially reduced token map."""

    def __init__(self, dim, heads, reduction):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.q = PixelLinear(dim, dim)
        self.kv = PixelLinear(dim, 2 * dim)
        self.proj = PixelLinear(dim, dim)
        self.reduction = reduction
        if reduction > 1:
            self.sr = nn.Conv2d(dim, dim, reduction, reduction)
            self.sr_norm = ChannelLayerNorm(dim)

    def split_heads(self, t):
        """[B, C, h, w] -> [B, heads, h*w, C/heads]."""
        b, c = t.shape[0], t.shape[1]
        return t.reshape(b, self.heads, c // self.heads, -1).transpose(2, 3)

    def forward(self, x):
        b, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        q = self.split_heads(self.q(x))
        kv_in = self.sr_norm(self.sr(x)) if self.reduction > 1 else x
        k, v = self.kv(kv_in).chunk(2, dim=1)
        k, v = self.split_heads(k), self.split_heads(v)
        attn = torch.softmax(torch.matmul(q * self.scale, k.transpose(-2, -1)), dim=-1)  # [B, heads, N, M]
        out = torch.matmul(attn, v)  # [B, heads, N, d]
        return self.proj(out.transpose(2, 3).reshape(b, c, h, w))


class MixFFN(nn.Module):
    """Linear -> 3x3 depth-wise conv -> GELU -> Linear."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = PixelLinear(dim, hidden)
        self.dwconv = nn.Conv2d(hidden, hidden, 3, 1, 1, groups=hidden)
        self.fc2 = PixelLinear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.dwconv(self.fc1(x))))


class Block(nn.Module):
    def __init__(self, dim, heads, reduction, mlp_ratio):
        super().__init__()
        self.norm1 = ChannelLayerNorm(dim)
        self.attn = EfficientSelfAttention(dim, heads, reduction)
        self.norm2 = ChannelLayerNorm(dim)
        self.ffn = MixFFN(dim, dim * mlp_ratio)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


class Stage(nn.Module):
    def __init__(self, in_ch, dim, kernel, stride, depth, heads, reduction, mlp_ratio):
        super().__init__()
        self.embed = OverlapPatchEmbed(in_ch, dim, kernel, stride)
        self.blocks = nn.Sequential(*[Block(dim, heads, reduction, mlp_ratio) for _ in range(depth)])
        self.norm = ChannelLayerNorm(dim)

    def forward(self, x):
        return self.norm(self.blocks(self.embed(x)))


class MixTransformer(nn.Module):
    """MiT encoder: returns the four stage maps at strides 4, 8, 16, 32."""

    def __init__(self, dims, depths, heads, reductions, mlp_ratio):
        super().__init__()
        stages, in_ch = [], 3
        for i, dim in enumerate(dims):
            kernel, stride = (7, 4) if i == 0 else (3, 2)
            stages.append(Stage(in_ch, dim, kernel, stride, depths[i], heads[i], reductions[i], mlp_ratio))
            in_ch = dim
        self.stages = nn.ModuleList(stages)

    def forward(self, x):
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        return feats


class AllMLPDecoder(nn.Module):
    """Per-stage linear -> upsample to 1/4 -> concat -> linear fuse (+BN+ReLU) -> linear classifier."""

    def __init__(self, in_dims, dim, num_classes, dropout=0.1):
        super().__init__()
        self.linears = nn.ModuleList(PixelLinear(c, dim) for c in in_dims)
        self.fuse = PixelLinear(dim * len(in_dims), dim, bias=False)
        self.fuse_bn = nn.BatchNorm2d(dim)
        self.dropout = nn.Dropout2d(dropout)
        self.classify = PixelLinear(dim, num_classes)

    def forward(self, feats):
        size = feats[0].shape[2:]
        ups = []
        for i, (feat, linear) in enumerate(zip(feats, self.linears)):
            y = linear(feat)
            if i > 0:  # stage 1 is already at 1/4
                y = F.interpolate(y, size=size, mode="bilinear", align_corners=False)
            ups.append(y)
        fused = F.relu(self.fuse_bn(self.fuse(torch.cat(ups[::-1], dim=1))))  # deepest stage first
        return self.classify(self.dropout(fused))


class SegFormer(nn.Module):
    def __init__(
        self,
        num_classes=19,
        dims=(16, 32, 64, 128),
        depths=(1, 1, 1, 1),
        heads=(1, 2, 4, 8),
        reductions=(8, 4, 2, 1),
        mlp_ratio=4,
        decoder_dim=64,
    ):
        super().__init__()
        self.config = dict(
            num_classes=num_classes, dims=list(dims), depths=list(depths), heads=list(heads),
            reductions=list(reductions), mlp_ratio=mlp_ratio, decoder_dim=decoder_dim,
        )
        self.encoder = MixTransformer(dims, depths, heads, reductions, mlp_ratio)
        self.decoder = AllMLPDecoder(dims, decoder_dim, num_classes)
        self.apply(_init_weights)

    def forward(self, x):
        """[B, 3, H, W] normalised RGB -> logits [B, num_classes, H/4, W/4]."""
        return self.decoder(self.encoder(x))


def _init_weights(m):
    if isinstance(m, PixelLinear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
        nn.init.normal_(m.weight, 0.0, (2.0 / fan_out) ** 0.5)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


def build(**kwargs):
    return SegFormer(**kwargs)


if __name__ == "__main__":
    model = SegFormer().eval()
    print(sum(p.numel() for p in model.parameters()), "parameters")
    with torch.no_grad():
        print(model(torch.randn(2, 3, 256, 512)).shape)
