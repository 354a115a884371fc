"""torchvision models that fx-import-torch cannot build by name: the segmentation models without
their pretrained backbones (their constructors download one by default), and small instances of
the transformer families whose full-size models fix their input at 224x224 and take minutes on
the reference interpreter (vit_b_16, swin_t, maxvit_t; bench/models-full.sh runs those). The
small instances keep each family's structure (vit: class token and encoder blocks; swin: shifted
windows, patch merging; maxvit: MBConv, block and grid attention with relative position bias)."""
import torchvision
from torchvision.models import maxvit, segmentation, swin_transformer


def _random_vit_head(model):
    """torchvision zeroes a ViT's classifier at construction, which makes every output 0 and a
    comparison with eager vacuous: draw it as nn.Linear does."""
    model.heads.head.reset_parameters()
    return model


def deeplabv3_mobilenet_v3_large():
    """Returns {"out": N x 21 x H x W}."""
    return segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None)


def fcn_resnet50():
    """Returns {"out": N x 21 x H x W}."""
    return segmentation.fcn_resnet50(weights=None, weights_backbone=None)


def vit_small():
    """Input N x 3 x 32 x 32: two 16x16 patches a side, two encoder blocks."""
    return _random_vit_head(torchvision.models.VisionTransformer(
        image_size=32, patch_size=16, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64,
        num_classes=10))


def vit_b_16():
    """torchvision's vit_b_16 (input N x 3 x 224 x 224) with a random classifier."""
    return _random_vit_head(torchvision.models.vit_b_16())


def swin_small():
    """Input N x 3 x 32 x 32: 8x8 patches in 4x4 windows (the second block of each stage shifted
    by 2), one patch merging."""
    return swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2],
                                            num_heads=[1, 2], window_size=[4, 4],
                                            stochastic_depth_prob=0.0, num_classes=10)


def maxvit_small():
    """Input N x 3 x 64 x 64: two blocks on 16x16 and 8x8 grids, partitions of 4x4."""
    return maxvit.MaxVit(input_size=(64, 64), stem_channels=8, partition_size=4,
                         block_channels=[16, 32], block_layers=[1, 1], head_dim=8,
                         stochastic_depth_prob=0.0, num_classes=10)
