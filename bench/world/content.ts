// What the world's people are called and write: display names from two short lists, and
// posts from a template, a topic and, for some, a hashtag. Real words and real #tags, so
// the search benchmark (bench/scenarios/people.ts) looks for what people would: words
// shared by many posts, tags some of which are far more popular than others, names that
// many accounts share.

export const TEMPLATES = [
  "Thinking about %s today.",
  "Hot take: %s is underrated.",
  "Spent the afternoon on %s. Worth it.",
  "Does anyone else have opinions on %s?",
  "Small joys: %s.",
  "Note to self: remember %s next time.",
  "Three words: %s. That's the post.",
  "Honestly, %s made my morning.",
];

export const TOPICS = [
  "coffee",
  "the bus ride",
  "my garden",
  "a new keyboard",
  "the weekend hike",
  "rain again",
  "this book",
  "a tiny bug",
  "the city at night",
  "fresh bread",
  "the conference",
  "my cat",
  "a long run",
  "street food",
  "the new release",
  "benchmarks",
];

/** Hashtags, most popular first: a post's tag is drawn with the square of a uniform, so the first few carry most posts. */
export const TAGS = [
  "coffee",
  "weekend",
  "books",
  "running",
  "cats",
  "gardening",
  "music",
  "travel",
  "cooking",
  "photography",
  "opensource",
  "postgres",
  "typescript",
  "bikes",
  "jazz",
  "football",
  "mondays",
  "startups",
  "rustlang",
  "birdwatching",
];

/** Share of posts that end with a hashtag. */
export const TAGGED_SHARE = 0.4;

export const FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Radia", "Tim", "Frances", "Edsger", "Katherine", "Donald", "Hedy", "Lynn"];
export const LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Perlman", "Lee", "Allen", "Dijkstra", "Johnson", "Knuth", "Lamarr", "Conway"];
