/** 隐私保护指引: the text configured in the WeChat console (docs/privacy.md), in the app for members to read any time. */
Component({
  methods: {},
});
