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
