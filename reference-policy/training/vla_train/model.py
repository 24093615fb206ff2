"""TabletopPolicy: a small vision-language-action model.

image (B,3,H,W, normalised) + word ids (B,L) + state (B,4) -> (actions (B,H,7), embedding (B,64)).
The state is the gripper position [x, y, z] in metres plus a presence flag (1 when the client sent
it; absent = zeros and flag 0): the model is trained with it half the time and works without it.
The actions are a chunk of H future steps at the control rate; the embedding (the out-of-distribution
signal) is computed before the state joins, so it does not depend on whether a client sends one.
The instruction modulates the image features with FiLM; spatial soft-argmax keypoints turn
"where is the thing the words describe" and "where is the gripper" into coordinates the action
head can subtract. In every step, actions 0-5 are normalised to [-1, 1] (tanh); action 6, the gripper, is a
probability of "close" (sigmoid) and is not de-normalised.
"""
import torch
import torch.nn.functional as F
from torch import nn

NUM_KEYPOINTS = 4
STATE_SIZE = 4              # x, y, z metres, present flag
STATE_FEATURES = 32


class FiLMConv(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int, text_dim: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(c_out)
        self.film = nn.Linear(text_dim, 2 * c_out)

    def forward(self, x: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.film(text).chunk(2, dim=1)
        x = self.norm(self.conv(x))
        return F.relu(x * (1.0 + gamma[:, :, None, None]) + beta[:, :, None, None])


class TabletopPolicy(nn.Module):
    def __init__(self, vocab_size: int, embedding_size: int = 64, text_dim: int = 96, chunk_length: int = 8):
        super().__init__()
        self.chunk_length = chunk_length
        self.word_embedding = nn.Embedding(vocab_size, 64, padding_idx=0)
        self.text_mlp = nn.Sequential(nn.Linear(64, text_dim), nn.ReLU(), nn.Linear(text_dim, text_dim), nn.ReLU())
        self.stem = nn.Sequential(nn.Conv2d(5, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.block1 = FiLMConv(32, 48, 2, text_dim)
        self.block2 = FiLMConv(48, 48, 1, text_dim)
        self.block3 = FiLMConv(48, 48, 1, text_dim)
        self.keypoint_logits = nn.Conv2d(48, NUM_KEYPOINTS, 1)
        self.state_mlp = nn.Sequential(nn.Linear(STATE_SIZE, STATE_FEATURES), nn.ReLU())
        head_in = NUM_KEYPOINTS * (2 + 48) + text_dim
        self.trunk = nn.Sequential(nn.Linear(head_in, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU())
        self.action_head = nn.Sequential(nn.Linear(256 + STATE_FEATURES, 256), nn.ReLU(), nn.Linear(256, chunk_length * 7))
        self.embedding_head = nn.Linear(256, embedding_size)

    def encode_text(self, tokens: torch.Tensor) -> torch.Tensor:
        mask = (tokens != 0).float().unsqueeze(-1)
        summed = (self.word_embedding(tokens) * mask).sum(dim=1)
        return self.text_mlp(summed / mask.sum(dim=1).clamp(min=1.0))

    def keypoints(self, image: torch.Tensor, tokens: torch.Tensor):
        """Returns (coords (B,K,2) in [-1,1] as (x right, y down), attended features (B,K,C), text)."""
        b, _, h, w = image.shape
        ys = torch.linspace(-1.0, 1.0, h, device=image.device).view(1, 1, h, 1).expand(b, 1, h, w)
        xs = torch.linspace(-1.0, 1.0, w, device=image.device).view(1, 1, 1, w).expand(b, 1, h, w)
        text = self.encode_text(tokens)
        x = self.stem(torch.cat([image, xs, ys], dim=1))
        x = self.block1(x, text)
        x = self.block2(x, text)
        x = self.block3(x, text)
        fb, fc, fh, fw = x.shape
        attention = F.softmax(self.keypoint_logits(x).flatten(2), dim=-1)            # (B,K,HW)
        grid_y = torch.linspace(-1.0, 1.0, fh, device=x.device).view(fh, 1).expand(fh, fw).reshape(-1)
        grid_x = torch.linspace(-1.0, 1.0, fw, device=x.device).view(1, fw).expand(fh, fw).reshape(-1)
        coords = torch.stack([(attention * grid_x).sum(-1), (attention * grid_y).sum(-1)], dim=-1)
        features = torch.bmm(attention, x.flatten(2).transpose(1, 2))               # (B,K,C)
        return coords, features, text

    def encode_state(self, state: torch.Tensor) -> torch.Tensor:
        """Metres to roughly [-1, 1] (the 0.6 m table, heights up to 0.15 m); multiplied by the flag so
        an absent state is exactly zero input."""
        present = state[:, 3:4]
        scaled = torch.cat([state[:, 0:2] / 0.3 - 1.0, state[:, 2:3] / 0.075 - 1.0, present], dim=1)
        return self.state_mlp(scaled * present)

    def forward(self, image: torch.Tensor, tokens: torch.Tensor, state: torch.Tensor):
        actions, embedding, _ = self.forward_with_keypoints(image, tokens, state)
        return actions, embedding

    def forward_with_keypoints(self, image: torch.Tensor, tokens: torch.Tensor, state: torch.Tensor):
        coords, features, text = self.keypoints(image, tokens)
        hidden = self.trunk(torch.cat([coords.flatten(1), features.flatten(1), text], dim=1))
        raw = self.action_head(torch.cat([hidden, self.encode_state(state)], dim=1)).view(-1, self.chunk_length, 7)
        action = torch.cat([torch.tanh(raw[:, :, :6]), torch.sigmoid(raw[:, :, 6:])], dim=2)
        embedding = self.embedding_head(hidden)
        embedding = embedding / embedding.norm(p=2, dim=1, keepdim=True).clamp(min=1e-6)
        return action, embedding, coords


class ExportedPolicy(nn.Module):
    """What model.pt holds: forward(image, tokens, state) -> (actions (B,H,7), embedding), nothing else."""

    def __init__(self, policy: TabletopPolicy):
        super().__init__()
        self.policy = policy

    def forward(self, image: torch.Tensor, tokens: torch.Tensor, state: torch.Tensor):
        return self.policy(image, tokens, state)
