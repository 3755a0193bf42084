<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChecklistsPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="97" />
        <source>Create draft</source>
        <translation>创建草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="99" />
        <source>New one-shot notification</source>
        <translation>新建一次性告知书</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="101" />
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="113" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="103" />
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="114" />
        <source>Business</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="105" />
        <source>Accepted on</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="112" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="115" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="116" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="127" />
        <source>Reading the checklists…</source>
        <translation>正在读取告知书…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="137" />
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="351" />
        <source>Select a checklist, or create one above.</source>
        <translation>请选择一份告知书,或在上方新建。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="141" />
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="142" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="143" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="144" />
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="145" />
        <source>Working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="146" />
        <source>Started</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="147" />
        <source>Deadline / progress</source>
        <translation>截止/进度</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="148" />
        <source>Days left</source>
        <translation>剩余工作日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="149" />
        <source>Received</source>
        <translation>收到日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="162" />
        <source>Case-specific material to add</source>
        <translation>本案需补充的材料</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="163" />
        <source>Add item</source>
        <translation>添加条目</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="164" />
        <source>Remove item</source>
        <translation>删除条目</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="169" />
        <source>Mark received on</source>
        <translation>登记收到日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="170" />
        <source>Clear received date</source>
        <translation>清除收到日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="177" />
        <source>Step started on</source>
        <translation>环节开始于</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="178" />
        <source>Step completed on</source>
        <translation>环节完成于</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="179" />
        <source>Clear step dates</source>
        <translation>清除环节日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="181" />
        <source>The time limit counts from the day its step starts (plan reply: acceptance)</source>
        <translation>时限自该环节开始之日起计算(供电方案答复自受理之日起)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="186" />
        <source>Issue…</source>
        <translation>出具…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="187" />
        <source>Correct (new version)</source>
        <translation>更正(出具新版本)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="188" />
        <source>Preview / print</source>
        <translation>预览 / 打印</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="280" />
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="360" />
        <source>(draft)</source>
        <translation>(草稿)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="317" />
        <source>The material typed for this checklist</source>
        <translation>本告知单已输入但未添加的材料</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="359" />
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="398" />
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="401" />
        <source>Done late %1</source>
        <translation>超期办结 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="401" />
        <source>Done %1</source>
        <translation>已办结 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="405" />
        <source>%1 (estimated calendar)</source>
        <translation>%1(按预估日历计算)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="439" />
        <source>Pick a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="509" />
        <source>Select one or more items first.</source>
        <translation>请先选择一个或多个条目。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="547" />
        <source>Select one or more time limits first.</source>
        <translation>请先选择一条或多条办理时限。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="567" />
        <source>Issue checklist</source>
        <translation>出具告知书</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="569" />
        <source>Once issued the checklist is frozen and can only be corrected by a new version. Issue it now?</source>
        <translation>告知书出具后即被冻结,只能通过出具新版本更正。现在出具吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/checklists.py" line="600" />
        <source>One-shot notification</source>
        <translation>一次性告知书</translation>
    </message>
</context>
<context>
    <name>OutagesPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="90" />
        <source>Line names, separated by commas</source>
        <translation>线路名称,用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="91" />
        <source>Find affected customers</source>
        <translation>查找受影响客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="96" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="266" />
        <source>Issue notices</source>
        <translation>出具停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="99" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="128" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="100" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="129" />
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="101" />
        <source>End</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="102" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="130" />
        <source>Area</source>
        <translation>停电范围</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="103" />
        <source>Reason</source>
        <translation>停电原因</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="114" />
        <source>Substation</source>
        <translation>变电站</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="115" />
        <source>Lines</source>
        <translation>线路</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="117" />
        <source>Add by hand</source>
        <translation>手工添加</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="118" />
        <source>New outage</source>
        <translation>新建停电</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="121" />
        <source>Affected customers (untick to leave out)</source>
        <translation>受影响客户(取消勾选即排除)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="127" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="131" />
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="143" />
        <source>Notice no.</source>
        <translation>通知编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="144" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="145" />
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="146" />
        <source>Delivered</source>
        <translation>送达</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="147" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="556" />
        <source>Acknowledged by</source>
        <translation>签收人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="155" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="462" />
        <source>Record delivery</source>
        <translation>登记送达</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="156" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="556" />
        <source>Record acknowledgement</source>
        <translation>登记签收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="157" />
        <source>Print all notices</source>
        <translation>打印全部通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="161" />
        <source>Postpone…</source>
        <translation>改期…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="162" />
        <source>Cancel outage…</source>
        <translation>取消停电…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="178" />
        <source>Mark as reminded</source>
        <translation>标记为已提醒</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="186" />
        <source>Reading the outages…</source>
        <translation>正在读取已出具的停电…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="199" />
        <source>Issued outages</source>
        <translation>已出具的停电</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="205" />
        <source>Remind now (outage starts within the reminder window)</source>
        <translation>现在需提醒(停电即将开始)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="229" />
        <source>No customer is fed from that substation or line.</source>
        <translation>没有客户由该变电站或线路供电。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="268" />
        <source>Issue %n numbered notice(s) for the outage from %1 to %2? Issued notices cannot be withdrawn.</source>
        <translation>
            <numerusform>为 %1 至 %2 的停电签发 %n 份编号通知吗?通知签发后不能撤回。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="451" />
        <source>Select an outage, then a customer's notice in its list first.</source>
        <translation>请先选择一次停电,再在其通知列表中选择一位客户的通知。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="460" />
        <source>In person</source>
        <translation>当面送达</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="460" />
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="460" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="460" />
        <source>Announcement</source>
        <translation>公告</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="462" />
        <source>Delivered by</source>
        <translation>送达方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="485" />
        <source>Late delivery</source>
        <translation>逾期送达</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="487" />
        <source>This notice reaches the customer later than the rules ask. Record the delivery as late?</source>
        <translation>本通知送达客户的时间晚于规定的提前期。是否按逾期送达记录?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="520" />
        <source>Postpone outage %1 to %2 – %3 (the times entered in the form)? New notices are issued to its customers.</source>
        <translation>将停电 %1 改期至 %2 – %3(表单中填写的时间)?将向受影响客户出具新的改期通知。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="527" />
        <source>Postpone outage</source>
        <translation>停电改期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="543" />
        <source>Cancel outage %1? Print its notices afterwards: they tell the customers it is cancelled.</source>
        <translation>取消停电 %1?取消后请打印通知,告知客户停电已取消。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="546" />
        <source>Cancel outage</source>
        <translation>取消停电</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="593" />
        <source>Rendering %n notice(s)…</source>
        <translation>
            <numerusform>正在生成 %n 份通知…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="587" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="606" />
        <source>Printing outage notices</source>
        <translation>打印停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="450" />
        <location filename="../../keyacct_desktop/gui/pages/outages.py" line="609" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="43" />
        <source>Reprint by number</source>
        <translation>按编号补打</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="45" />
        <source>GZ…, FA…, TD…, ZF… or scan the QR code</source>
        <translation>GZ…、FA…、TD…、ZF…,或扫描二维码</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="49" />
        <source>Type the number printed on the document, or scan its QR code. The document is printed again exactly as issued, with the same number.</source>
        <translation>输入文书上印的编号,或扫描其二维码。文书将按出具时的原样、以同一编号再次打印。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="58" />
        <source>Document &amp;number</source>
        <translation>文书编号(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="64" />
        <source>&amp;Preview / print</source>
        <translation>预览 / 打印(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/documents/reprint_dialog.py" line="65" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SupplyPlansPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="99" />
        <source>Create draft</source>
        <translation>创建草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="101" />
        <source>New supply plan handout</source>
        <translation>新建供电方案答复单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="103" />
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="112" />
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="164" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="105" />
        <source>Accepted on</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="111" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="113" />
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="114" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="115" />
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="125" />
        <source>Reading the supply plans…</source>
        <translation>正在读取供电方案…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="134" />
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="382" />
        <source>Select a plan, or create one above.</source>
        <translation>请选择一份方案,或在上方新建。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="149" />
        <source>Dual-source supply</source>
        <translation>双电源供电</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="150" />
        <source>Two-part tariff (basic charge applies)</source>
        <translation>两部制电价(计收基本电费)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="151" />
        <source>On-load tap changer (HV transformer)</source>
        <translation>有载调压（高压受电变压器）</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="153" />
        <source>HV users with on-load tap changers are assessed at the 0.90 power factor</source>
        <translation>装有有载调压装置的高压用户按 0.90 考核功率因数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="165" />
        <source>Application no.</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="166" />
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="167" />
        <source>Total capacity</source>
        <translation>总容量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="168" />
        <source>Added capacity</source>
        <translation>本次增加容量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="169" />
        <source>Supply voltage</source>
        <translation>供电电压</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="171" />
        <source>Property boundary point</source>
        <translation>产权分界点</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="172" />
        <source>Receiving installation</source>
        <translation>受电装置形式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="173" />
        <source>Protection</source>
        <translation>继电保护</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="175" />
        <source>Power-factor standard</source>
        <translation>功率因数考核标准</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="177" />
        <source>Load grade</source>
        <translation>负荷等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="178" />
        <source>Emergency power</source>
        <translation>自备应急电源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="179" />
        <source>Power quality duties</source>
        <translation>电能质量要求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="180" />
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="184" />
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="185" />
        <source>Main/backup</source>
        <translation>主/备</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="186" />
        <source>Voltage (kV)</source>
        <translation>电压(kV)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="187" />
        <source>Capacity (kVA)</source>
        <translation>容量(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="188" />
        <source>Substation</source>
        <translation>变电站</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="189" />
        <source>Line</source>
        <translation>线路</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="190" />
        <source>Bay</source>
        <translation>间隔</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="191" />
        <source>Overhead/cable</source>
        <translation>架空/电缆</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="197" />
        <source>Metering point</source>
        <translation>计量点</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="198" />
        <source>Method</source>
        <translation>计量方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="199" />
        <source>Wiring</source>
        <translation>接线方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="200" />
        <source>Accuracy class</source>
        <translation>准确度等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="201" />
        <source>CT ratio</source>
        <translation>CT 变比</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="202" />
        <source>PT ratio</source>
        <translation>PT 变比</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="203" />
        <source>Tariff</source>
        <translation>电价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="204" />
        <source>Time of use</source>
        <translation>分时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="210" />
        <source>Fee item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="211" />
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="212" />
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="213" />
        <source>Amount (yuan)</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="214" />
        <source>Basis</source>
        <translation>收费依据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="222" />
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="223" />
        <source>Issue…</source>
        <translation>出具…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="224" />
        <source>Correct (new version)</source>
        <translation>更正(出具新版本)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="225" />
        <source>Preview / print</source>
        <translation>预览 / 打印</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="246" />
        <source>Power sources</source>
        <translation>供电电源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="247" />
        <source>Metering</source>
        <translation>计量与电价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="248" />
        <source>Fees</source>
        <translation>业务费用</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="250" />
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="251" />
        <source>Remove row</source>
        <translation>删除行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="264" />
        <source>Rule checks</source>
        <translation>规则校验</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="310" />
        <source>(draft)</source>
        <translation>(草稿)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="337" />
        <source>The supply plan draft</source>
        <translation>供电方案草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="402" />
        <source>Reply due by %1</source>
        <translation>答复期限 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="405" />
        <source>counted on the estimated holiday calendar</source>
        <translation>按预估日历计算</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="407" />
        <source>Valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="415" />
        <source>not an important user</source>
        <translation>非重要用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="436" />
        <source>No rule warnings.</source>
        <translation>未发现规则问题。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="490" />
        <source>Pick a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="541" />
        <source>Issue the plan handout now? It is frozen once issued.</source>
        <translation>现在出具供电方案答复单吗?出具后即被冻结。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="544" />
        <source>The plan has %n rule warning(s). Issue it anyway?</source>
        <translation>
            <numerusform>方案有 %n 项规则提示,仍然出具吗?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="547" />
        <source>Issue plan</source>
        <translation>出具方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/plans.py" line="578" />
        <source>Supply plan handout</source>
        <translation>供电方案答复单</translation>
    </message>
</context>
</TS>