"""A small DANet (Fu et al., 2019, "Dual Attention Network for Scene Segmentation").

Written from the paper's description, at toy width so it trains on a CPU in minutes:

* backbone: a small residual network (basic blocks) whose last two stages keep stride 8 and
  dilate their convolutions instead (2, then 4), as the paper does with ResNet;
* two parallel branches on the backbone map, each: 3x3 conv (channels / 4) + BN + ReLU ->
  attention module -> 3x3 conv + BN + ReLU;
  - Position Attention Module (PAM): query / key (1x1 conv to C/8) and value (1x1 conv to C);
    S = softmax(Q^T K) over all N = h*w positions; out = gamma * (V S^T) + x, gamma a learnable
    scalar that starts at 0;
  - Channel Attention Module (CAM): channel affinity X X^T, replaced by max(row) - itself before
    the softmax (the "max minus" trick of the reference code), out = gamma * (S X) + x;
* each branch's result is classified (dropout + 1x1 conv) and their sum is classified too.

One deviation, for the thin classes (poles are 3-4 pixels wide, half a cell at stride 8): with
`upscale=2` (the default) each classifier predicts a 2x2 block of logits per stride-8 cell (a
sub-pixel convolution: 1x1 conv to 4K channels + pixel shuffle), so the logits come out at 1/4.
The backbone, the attention modules and the fusion are unchanged; `upscale=1` is the paper's
plain 1x1 classifier with logits at 1/8.

`DANet(...)(x)` takes `[B, 3, H, W]` (normalised RGB) and returns a tuple of three logits
tensors `(fused, pam, cam)`, each `[B, num_classes, H/4, W/4]` (`upscale=2`); the first is the
prediction, the other two only add auxiliary losses in training. All reshapes take B, C, h and w from the
tensor they reshape, so a traced module works for any batch size.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv1x1(nn.Conv2d):
    """A 1x1 convolution; `fast_dilation` only routes it to oneDNN during CPU training.

    The Debian CPU build of torch used for training has a reference BLAS, and torch sends a
    single-threaded 1x1 convolution there; the same convolution with dilation > 1 (identical
    result for a 1x1 kernel) goes to oneDNN, about 10x faster. Reset to 1 before export.
    """

    def __init__(self, in_ch, out_ch, bias=True):
        super().__init__(in_ch, out_ch, 1, bias=bias)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, 1, 0, self.dilation)


def set_training_fast_path(model, on):
    """Training-only CPU speed switch (same results): 1x1 convs and attention matmuls via oneDNN."""
    for m in model.modules():
        if isinstance(m, Conv1x1):
            m.dilation = (2, 2) if on else (1, 1)
        if isinstance(m, (PositionAttention, ChannelAttention)):
            m.fast = on
    return model


def bmm(a, b, fast=False):
    """a [B, n, k] @ b [B, k, m]. `fast` (training on CPU only): the same product as a grouped
    1x1 convolution with `a` as the weights, which runs on oneDNN instead of the reference BLAS
    (3x faster here). Its group count is the batch size, so it must never be traced."""
    if not fast:
        return torch.bmm(a, b)
    batch, n, k, m = a.shape[0], a.shape[1], a.shape[2], b.shape[2]
    weight = a.reshape(batch * n, k, 1, 1)
    out = F.conv2d(b.reshape(1, batch * k, m, 1), weight, None, 1, 0, 2, batch)
    return out.reshape(batch, n, m)


def conv_bn_relu(in_ch, out_ch, stride=1, dilation=1):
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, 3, stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    )


class BasicBlock(nn.Module):
    """Residual block: two 3x3 convs (the first may stride or dilate), projection shortcut if needed."""

    def __init__(self, in_ch, out_ch, stride=1, dilation=1):
        super().__init__()
        self.conv1 = conv_bn_relu(in_ch, out_ch, stride, dilation)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, 1, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.shortcut = None
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(Conv1x1(in_ch, out_ch, bias=False), nn.BatchNorm2d(out_ch))
            self.shortcut_stride = stride

    def forward(self, x):
        y = self.bn2(self.conv2(self.conv1(x)))
        if self.shortcut is not None:
            if self.shortcut_stride > 1:
                x = x[:, :, :: self.shortcut_stride, :: self.shortcut_stride]
            x = self.shortcut(x)
        return F.relu(x + y)


class DilatedResNet(nn.Module):
    """Stem to 1/4 (two stride-2 3x3 convs), then four stages; stages 3 and 4 dilate instead of striding."""

    def __init__(self, widths=(32, 48, 64, 96, 128), blocks=(1, 1, 1, 1)):
        super().__init__()
        stem, s1, s2, s3, s4 = widths
        self.stem = nn.Sequential(conv_bn_relu(3, stem // 2, stride=2), conv_bn_relu(stem // 2, stem, stride=2))
        self.layer1 = self._stage(stem, s1, blocks[0], stride=1, dilation=1)  # 1/4
        self.layer2 = self._stage(s1, s2, blocks[1], stride=2, dilation=1)  # 1/8
        self.layer3 = self._stage(s2, s3, blocks[2], stride=1, dilation=2)  # 1/8, dilated
        self.layer4 = self._stage(s3, s4, blocks[3], stride=1, dilation=4)  # 1/8, dilated
        self.out_channels = s4

    @staticmethod
    def _stage(in_ch, out_ch, n, stride, dilation):
        layers = [BasicBlock(in_ch, out_ch, stride, dilation)]
        layers += [BasicBlock(out_ch, out_ch, 1, dilation) for _ in range(n - 1)]
        return nn.Sequential(*layers)

    def forward(self, x):
        return self.layer4(self.layer3(self.layer2(self.layer1(self.stem(x)))))


class PositionAttention(nn.Module):
    """PAM: every position aggregates the values of all positions, weighted by feature similarity."""

    def __init__(self, channels):
        super().__init__()
        self.query = Conv1x1(channels, max(1, channels // 8))
        self.key = Conv1x1(channels, max(1, channels // 8))
        self.value = Conv1x1(channels, channels)
        self.gamma = nn.Parameter(torch.zeros(1))
        self.fast = False

    def forward(self, x):
        b, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        q = self.query(x).flatten(2)  # [B, C', N]
        k = self.key(x).flatten(2)  # [B, C', N]
        v = self.value(x).flatten(2)  # [B, C, N]
        energy = bmm(q.transpose(1, 2).contiguous(), k, self.fast)  # [B, N, N]
        attn = torch.softmax(energy, dim=-1)  # row i: how much position i attends to each position
        out = bmm(v, attn.transpose(1, 2).contiguous(), self.fast).reshape(b, c, h, w)
        return self.gamma * out + x


class ChannelAttention(nn.Module):
    """CAM: every channel aggregates all channels, weighted by channel affinity."""

    def __init__(self):
        super().__init__()
        self.gamma = nn.Parameter(torch.zeros(1))
        self.fast = False

    def forward(self, x):
        b, c, h, w = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        feat = x.flatten(2)  # [B, C, N]
        energy = bmm(feat, feat.transpose(1, 2).contiguous(), self.fast)  # [B, C, C]
        energy = energy.amax(dim=-1, keepdim=True) - energy  # the reference code's max-minus
        attn = torch.softmax(energy, dim=-1)
        out = bmm(attn, feat, self.fast).reshape(b, c, h, w)
        return self.gamma * out + x


class SubPixelClassifier(nn.Module):
    """Dropout + 1x1 conv classifier; with `upscale` r > 1 it predicts an r x r block of logits per
    cell (K * r^2 channels rearranged by pixel shuffle), so the logits come out at stride 8 / r."""

    def __init__(self, in_ch, num_classes, upscale, dropout):
        super().__init__()
        self.dropout = nn.Dropout2d(dropout)
        self.conv = Conv1x1(in_ch, num_classes * upscale * upscale)
        self.upscale = upscale

    def forward(self, x):
        y = self.conv(self.dropout(x))
        return F.pixel_shuffle(y, self.upscale) if self.upscale > 1 else y


class DANetHead(nn.Module):
    def __init__(self, in_ch, num_classes, upscale=1, dropout=0.1):
        super().__init__()
        inter = in_ch // 4
        self.pam_in = conv_bn_relu(in_ch, inter)
        self.pam = PositionAttention(inter)
        self.pam_out = conv_bn_relu(inter, inter)
        self.cam_in = conv_bn_relu(in_ch, inter)
        self.cam = ChannelAttention()
        self.cam_out = conv_bn_relu(inter, inter)
        self.cls_pam = SubPixelClassifier(inter, num_classes, upscale, dropout)
        self.cls_cam = SubPixelClassifier(inter, num_classes, upscale, dropout)
        self.cls_fused = SubPixelClassifier(inter, num_classes, upscale, dropout)

    def forward(self, x):
        sa = self.pam_out(self.pam(self.pam_in(x)))
        sc = self.cam_out(self.cam(self.cam_in(x)))
        return self.cls_fused(sa + sc), self.cls_pam(sa), self.cls_cam(sc)


class DANet(nn.Module):
    def __init__(self, num_classes=19, widths=(32, 48, 64, 96, 128), blocks=(1, 1, 1, 1), upscale=2):
        super().__init__()
        self.config = dict(num_classes=num_classes, widths=list(widths), blocks=list(blocks), upscale=upscale)
        self.backbone = DilatedResNet(widths, blocks)
        self.head = DANetHead(self.backbone.out_channels, num_classes, upscale)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        """[B, 3, H, W] -> (fused, pam, cam) logits, each [B, num_classes, H/(8/upscale), W/(8/upscale)]."""
        return self.head(self.backbone(x))


def build(**kwargs):
    return DANet(**kwargs)


if __name__ == "__main__":
    model = DANet().eval()
    print(sum(p.numel() for p in model.parameters()), "parameters")
    with torch.no_grad():
        print([tuple(o.shape) for o in model(torch.randn(2, 3, 256, 512))])
