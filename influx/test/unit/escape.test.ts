import { describe, expect, it } from 'vitest';
import { fieldString, influxQLIdentifier, influxQLString, tagValue } from '../../src/escape.js';

describe('tagValue', () => {
  it('leaves spaces, commas, equals signs, quotes and inner backslashes to node-influx when a value has them', () => {
    // Act
    const values = ['a b', 'a,b', 'a=b', 'a"b', "a'b", 'a\\b', 'talk 1, part=2'].map(tagValue);

    // Assess
    expect(values).toEqual(['a b', 'a,b', 'a=b', 'a"b', "a'b", 'a\\b', 'talk 1, part=2']);
  });

  it('turns newlines into one space when a value spans lines', () => {
    // Act
    const values = ['a\nb', 'a\r\nb', 'a\n\n\nb', '\nab'].map(tagValue);

    // Assess
    expect(values).toEqual(['a b', 'a b', 'a b', ' ab']);
  });

  it('drops trailing backslashes, and gives an empty value, when a value ends with them', () => {
    // Act
    const values = ['a\\', 'a\\\\', 'a\\b\\', '\\'].map(tagValue);

    // Assess
    expect(values).toEqual(['a', 'a', 'a\\b', '']);
  });
});

describe('fieldString', () => {
  it('keeps quotes, backslashes, commas and equals signs and flattens newlines when a title has them', () => {
    // Act
    const value = fieldString('Say "hi", a=b \\o/\r\nagain\n');

    // Assess
    expect(value).toBe('Say "hi", a=b \\o/ again ');
  });
});

describe('influxQLString', () => {
  it('quotes and escapes backslashes, quotes and newlines when a value has them', () => {
    // Act
    const literals = ["o'clock", 'a\\b', 'a\\', 'two\nlines', 'a "b" c', 'cr\r'].map(
      influxQLString,
    );

    // Assess
    expect(literals).toEqual([
      "'o\\'clock'",
      "'a\\\\b'",
      "'a\\\\'",
      "'two\\nlines'",
      `'a "b" c'`,
      "'cr '",
    ]);
  });
});

describe('influxQLIdentifier', () => {
  it('double-quotes and escapes quotes and backslashes when a name has them', () => {
    // Act
    const names = ['vote_1m', 'my rp', 'a"b', 'a\\b'].map(influxQLIdentifier);

    // Assess
    expect(names).toEqual(['"vote_1m"', '"my rp"', '"a\\"b"', '"a\\\\b"']);
  });
});
