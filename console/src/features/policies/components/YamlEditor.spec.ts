import { describe, expect, test } from 'vitest';
import { mount } from '@vue/test-utils';
import { gutterLines, offsetOfLine } from '../gutter';
import YamlEditor from './YamlEditor.vue';

const yaml = 'id: p\ntitle: T\nversion: "1"\nchecks:\n  - id: c1\n';
const err = (line: number, message: string) => ({ line, column: 3, path: 'checks.0', message });

describe('YAML error gutter', () => {
  test('numbers every line and marks exactly the lines with errors', async () => {
    const wrapper = mount(YamlEditor, {
      props: { modelValue: yaml, errors: [err(2, 'title: too short'), err(5, 'checks.0: rules required')] },
    });
    const nums = wrapper.findAll('.yaml-editor__num');
    expect(nums.map((n) => n.text())).toEqual(['1', '2', '3', '4', '5', '6']);
    const marked = wrapper.findAll('.yaml-editor__num--error');
    expect(marked.map((n) => n.attributes('data-line'))).toEqual(['2', '5']);
    expect(marked[0]?.attributes('title')).toBe('title: too short');

    // Fixing the text and clearing the errors removes the markers; typing adds gutter lines.
    await wrapper.setProps({ errors: [] });
    await wrapper.find('textarea').setValue(`${yaml}  - id: c2\n`);
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([`${yaml}  - id: c2\n`]);
    await wrapper.setProps({ modelValue: `${yaml}  - id: c2\n` });
    expect(wrapper.findAll('.yaml-editor__num')).toHaveLength(7);
    expect(wrapper.findAll('.yaml-editor__num--error')).toHaveLength(0);
  });

  test('errors beyond the text or before line 1 stay visible on the nearest line', () => {
    const lines = gutterLines('a\nb', [
      err(99, 'unexpected end'),
      err(0, 'syntax'),
      err(2, 'x'),
      err(2, 'y'),
    ]);
    expect(lines.map((l) => l.errors.map((e) => e.message))).toEqual([
      ['syntax'],
      ['unexpected end', 'x', 'y'],
    ]);
  });

  test('offsetOfLine points at the start of the line (caret jump from the error list)', () => {
    expect(offsetOfLine(yaml, 1)).toBe(0);
    expect(yaml.slice(offsetOfLine(yaml, 3))).toMatch(/^version/);
    expect(offsetOfLine(yaml, 50)).toBe(yaml.length);
  });
});
