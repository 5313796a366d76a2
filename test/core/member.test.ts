import assert from 'node:assert/strict';
import { nicknameSchema } from '../../core/member/registration';

const accepted = (nickname: string) => nicknameSchema.safeParse(nickname).success;

describe('member rules', () => {
  it('a nickname has visible characters and none that render as nothing', () => {
    const invisible = [
      '\u3164', // HANGUL FILLER
      '\u2800', // BRAILLE PATTERN BLANK
      '\u115f\u1160',
      '\uffa0',
      '\u200b',
      '\u00ad',
      '\ufe0f',
      '\u202e',
      '\u180e',
      '\u00a0',
      '\u2003',
      '\u3000',
    ];
    for (const blank of invisible) {
      assert.equal(accepted(blank), false, `only U+${blank.codePointAt(0)?.toString(16)}`);
      assert.equal(accepted(`小${blank}明`), false, `U+${blank.codePointAt(0)?.toString(16)} inside`);
    }
    for (const inner of ['\u200c', '\u200d', '\u200e', '\u2060', '\u2064', '\ufeff', '\u{e0041}'])
      assert.equal(accepted(`a${inner}b`), false);
    for (const visible of ['林小雨', 'Tom Lee', '小雨❤️', '👨‍👩‍👧 一家', '👍🏽', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'Zoë', '<b>阿强</b>'])
      assert.equal(accepted(visible), true, visible);
    assert.deepEqual([accepted('\u0301'), accepted('Zoe\u0308')], [false, true], 'a combining mark shows only on a character');
    assert.equal(nicknameSchema.parse('  林小雨 '), '林小雨', 'ends trimmed');
    assert.deepEqual([accepted(''), accepted('x'.repeat(20)), accepted('x'.repeat(21))], [false, true, false]);
  });
});
