"""Export the field's feature networks to ONNX, from weights you already have, for `features: onnx:PATH`.

Run with a Python that has PyTorch (Debian's python3-torch works: /usr/bin/python3):

    # pytorch-fid's Inception-v3 (pool3, 2048-d), from its FID weights file pt_inception-2015-12-05-6726825d.pth
    # (the file pytorch-fid downloads; the `pytorch_fid` package must be importable for the architecture)
    /usr/bin/python3 scripts/export_feature_networks.py inception --weights pt_inception-2015-12-05-6726825d.pth \
        --out inception-v3-pytorch-fid.onnx

    # DINOv2 ViT-B/14 (the CLS token, 768-d), from a clone of facebookresearch/dinov2 and its weights file
    /usr/bin/python3 scripts/export_feature_networks.py dinov2 --repo ./dinov2 --weights dinov2_vitb14_pretrain.pth \
        --out dinov2-vitb14.onnx

Each export writes the network (opset 17, a dynamic batch axis) and its declaration `<out>.json`: name, family
(which names the Fréchet distance: FID for Inception, FD_DINOv2), layer, input size, channel order, resize and
normalisation, as main/metrics/onnx-network.ts reads it. Nothing is downloaded: the weights and code are yours.

What the engine then does before the network, to match the reference code:
- Inception (pytorch-fid's InceptionV3 with resize_input and normalize_input): bilinear resize to 299x299
  (F.interpolate, align_corners=False), then 2x - 1 (mean 0.5, std 0.5), RGB. The network exported here starts after
  those two steps, so the engine's resize and normalisation replace pytorch-fid's own.
- DINOv2 (dgm-eval): resize to 224x224 and ImageNet mean/std. dgm-eval resizes bicubically; the engine resizes
  bilinearly, so FD_DINOv2 values are close to, not equal to, dgm-eval's.

After exporting, the script checks the ONNX file against PyTorch on random images when onnxruntime (Python) is
installed, and prints the largest difference.
"""

import argparse
import json
import sys

import torch


def inception(weights):
    try:
        import pytorch_fid.inception as pi
    except ImportError as e:
        sys.exit(f"the Inception export needs the pytorch_fid package for its architecture (pip install pytorch-fid): {e}")
    # pytorch-fid fetches its FID weights from a URL: read the user's file instead (nothing is downloaded)
    pi.load_state_dict_from_url = lambda *args, **kwargs: torch.load(weights, map_location="cpu")
    fid = pi.InceptionV3([pi.InceptionV3.BLOCK_INDEX_BY_DIM[2048]], resize_input=False, normalize_input=False)

    class Pool3(torch.nn.Module):
        """pytorch-fid's InceptionV3 up to pool3, without its resize and normalisation (the engine does those)."""

        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, x):
            return torch.flatten(self.net(x)[0], 1)

    declaration = {
        "name": "inception-v3-pytorch-fid",
        "family": "inception",
        "layer": "pool3",
        "inputSize": [299, 299],
        "channels": "rgb",
        "resize": "bilinear",
        "normalise": {"mean": [0.5], "std": [0.5]},
        "batch": 32,
    }
    return Pool3(fid).eval(), declaration


def dinov2(repo, weights):
    model = torch.hub.load(repo, "dinov2_vitb14", source="local", pretrained=False)
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    declaration = {
        "name": "dinov2-vitb14",
        "family": "dinov2",
        "layer": "cls",
        "inputSize": [224, 224],
        "channels": "rgb",
        "resize": "bilinear",
        "normalise": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
        "batch": 16,
    }
    return model.eval(), declaration


def export(net, declaration, out):
    h, w = declaration["inputSize"]
    torch.onnx.export(
        net,
        torch.zeros(1, 3, h, w),
        out,
        opset_version=17,
        input_names=["images"],
        output_names=["features"],
        dynamic_axes={"images": {0: "n"}, "features": {0: "n"}},
    )
    with open(out + ".json", "w") as f:
        json.dump(declaration, f, indent=2)
        f.write("\n")
    print(f"wrote {out} and {out}.json")
    try:
        import numpy as np
        import onnxruntime
    except ImportError:
        print("onnxruntime (Python) is not installed: the check against PyTorch is skipped")
        return
    x = torch.rand(2, 3, h, w)
    with torch.no_grad():
        want = net(x).numpy()
    sess = onnxruntime.InferenceSession(out)
    got = sess.run(None, {"images": x.numpy()})[0]
    print(f"largest difference from PyTorch on 2 random images: {np.abs(got - want).max():.3g}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="network", required=True)
    a = sub.add_parser("inception", help="pytorch-fid's Inception-v3, pool3 (2048-d)")
    a.add_argument("--weights", required=True, help="pt_inception-2015-12-05-6726825d.pth")
    a.add_argument("--out", required=True)
    b = sub.add_parser("dinov2", help="DINOv2 ViT-B/14, CLS token (768-d)")
    b.add_argument("--repo", required=True, help="a local clone of facebookresearch/dinov2 (torch.hub, source=local)")
    b.add_argument("--weights", required=True, help="dinov2_vitb14_pretrain.pth")
    b.add_argument("--out", required=True)
    args = p.parse_args()
    net, declaration = inception(args.weights) if args.network == "inception" else dinov2(args.repo, args.weights)
    export(net, declaration, args.out)


if __name__ == "__main__":
    main()
