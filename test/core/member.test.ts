import assert from 'node:assert/strict';
import { firstBenefitBirthday, isBenefitBirthday } from '../../core/member/birthday';
import { defaultNickname, nicknameSchema } from '../../core/member/registration';

const accepted = (nickname: string) => nicknameSchema.safeParse(nickname).success;

describe('member rules', () => {
  it('a member without a chosen nickname is 微信用户 and four digits, never part of the openid, the same every time', () => {
    const names = ['o-owner', 'o-friend', 'oABCDEFGHIJKLMNOPQRSTUVWXYZ12', 'o-friend'].map(defaultNickname);
    for (const name of names) assert.match(name, /^微信用户\d{4}$/);
    assert.equal(names[1], names[3]);
    assert.notEqual(names[0], names[1], 'friends told apart');
    assert.ok(nicknameSchema.safeParse(names[0]).success, 'a valid nickname');
  });

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

  it('birthday benefits start with the first birthday at least the notice days after it was given', () => {
    const given = (birthday: string, birthdaySetDay: string) => ({ birthday, birthdaySetDay, registeredDay: '2026-01-01' });
    assert.equal(firstBenefitBirthday(given('05-10', '2026-05-10'), 30), '2027-05-10', 'set on the day: next year');
    assert.equal(firstBenefitBirthday(given('05-11', '2026-05-10'), 30), '2027-05-11', 'set the day before: next year');
    assert.equal(firstBenefitBirthday(given('05-10', '2026-04-10'), 30), '2026-05-10', '30 days before: this year');
    assert.equal(firstBenefitBirthday(given('05-10', '2026-04-11'), 30), '2027-05-10', '29 days before: next year');
    assert.equal(firstBenefitBirthday(given('01-05', '2026-12-20'), 30), '2028-01-05', 'across the year end');
    assert.equal(firstBenefitBirthday(given('02-29', '2027-01-01'), 30), '2027-02-28', 'a 02-29 birthday on its 02-28');
    assert.equal(firstBenefitBirthday(given('05-10', '2026-05-10'), 0), '2026-05-10', 'no notice: at once');
    assert.equal(firstBenefitBirthday({ birthday: null, registeredDay: '2026-01-01' }, 30), null);
    assert.deepEqual(
      ['2026-05-10', '2026-05-11', '2027-05-10'].map((today) => isBenefitBirthday(given('05-10', '2026-04-20'), today, 30)),
      [false, false, true],
    );
    assert.equal(isBenefitBirthday(given('05-10', '2026-04-10'), '2026-05-10', 30), true);
    // Stored before the day a birthday was given was kept: counted from registration, the earliest it can have been.
    const legacy = { birthday: '05-10', registeredDay: '2025-03-01' };
    assert.equal(isBenefitBirthday(legacy, '2026-05-10', 30), true, 'given long ago: benefits kept');
    assert.equal(isBenefitBirthday({ ...legacy, registeredDay: '2026-05-01' }, '2026-05-10', 30), false, 'registered 9 days before');
  });
});
