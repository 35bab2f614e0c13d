/** A small built-in sample, written for Pairscope: English NLI pairs (TSV: premise, hypothesis, label). */
export const SAMPLE_PAIRS = [
  ['A girl in a red coat is feeding ducks at the pond.', 'A child is outside near water.', 'entailment'],
  ['A girl in a red coat is feeding ducks at the pond.', 'The girl is asleep in her bed.', 'contradiction'],
  [
    'A girl in a red coat is feeding ducks at the pond.',
    'The girl is feeding the ducks with her grandmother.',
    'neutral',
  ],
  ['Two cyclists are racing down a mountain road.', 'People are riding bikes.', 'entailment'],
  ['Two cyclists are racing down a mountain road.', 'The cyclists are sitting in a café.', 'contradiction'],
  [
    'Two cyclists are racing down a mountain road.',
    'The cyclists are professionals in a competition.',
    'neutral',
  ],
  ['A chef is slicing onions in a busy kitchen.', 'Someone is preparing food.', 'entailment'],
  ['A chef is slicing onions in a busy kitchen.', 'The kitchen is empty and dark.', 'contradiction'],
  ['A chef is slicing onions in a busy kitchen.', 'The chef is crying because of the onions.', 'neutral'],
  ['An old man plays the violin on a street corner.', 'A man is making music outdoors.', 'entailment'],
  ['An old man plays the violin on a street corner.', 'Nobody is playing an instrument.', 'contradiction'],
  ['An old man plays the violin on a street corner.', 'The man is earning money for dinner.', 'neutral'],
  ['A dog is catching a frisbee in the park.', 'An animal is playing outside.', 'entailment'],
  ['A dog is catching a frisbee in the park.', 'The dog is sleeping on a sofa.', 'contradiction'],
  ['A dog is catching a frisbee in the park.', 'The dog belongs to a young family.', 'neutral'],
  ['Workers are repairing the roof of a school.', 'A building is being fixed.', 'entailment'],
  [
    'Workers are repairing the roof of a school.',
    'The school has no roof and never had one.',
    'contradiction',
  ],
  ['Workers are repairing the roof of a school.', 'The roof was damaged in last week’s storm.', 'neutral'],
]
  .map((cells) => cells.join('\t'))
  .join('\n');

/**
 * A small Japanese sample, written for Pairscope in the style of JNLI (entailment / contradiction / neutral),
 * for the Japanese BERT of the origin blog.
 */
export const SAMPLE_PAIRS_JA = [
  ['公園で子どもたちがボールを蹴って遊んでいる。', '子どもが外で遊んでいる。', 'entailment'],
  ['公園で子どもたちがボールを蹴って遊んでいる。', '子どもたちは教室で眠っている。', 'contradiction'],
  ['公園で子どもたちがボールを蹴って遊んでいる。', '子どもたちはサッカー部の練習をしている。', 'neutral'],
  ['駅のホームで男性が電車を待っている。', '人が駅にいる。', 'entailment'],
  ['駅のホームで男性が電車を待っている。', '男性は自宅で料理をしている。', 'contradiction'],
  ['駅のホームで男性が電車を待っている。', '男性は会社に向かうところだ。', 'neutral'],
  ['白い猫が窓辺で日向ぼっこをしている。', '動物が日の当たる場所にいる。', 'entailment'],
  ['白い猫が窓辺で日向ぼっこをしている。', '黒い犬が庭を走り回っている。', 'contradiction'],
  ['白い猫が窓辺で日向ぼっこをしている。', '猫は飼い主の帰りを待っている。', 'neutral'],
  ['料理人が厨房で魚をさばいている。', '誰かが食材を扱っている。', 'entailment'],
  ['料理人が厨房で魚をさばいている。', '厨房には誰もいない。', 'contradiction'],
  ['料理人が厨房で魚をさばいている。', '今夜の特別料理は刺身だ。', 'neutral'],
]
  .map((cells) => cells.join('\t'))
  .join('\n');
