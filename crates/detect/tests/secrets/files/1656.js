export default {
  port: 3000,
  awsBearerTokenBedrock: "ABSKQmVkcm9ja0FQSUtleS14c2JmLWF0LTg4NTA1MzU5MTcwNDpyWGdEL0RqUzVraGlJdllYVDRnSmFMNHZONC9xS1RTQW4vK2dkR1VLZnZjanQ4ZWwwV3gzYy9pRGFrSzQ=",
  cors: true,
};
